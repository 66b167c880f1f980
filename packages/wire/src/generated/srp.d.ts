import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace srp. */
export namespace srp {

    /** Namespace v1. */
    namespace v1 {

        /** ChassisMode enum. */
        enum ChassisMode {

            /** CHASSIS_MODE_UNSPECIFIED value */
            CHASSIS_MODE_UNSPECIFIED = 0,

            /** CHASSIS_MODE_PRIMARY value */
            CHASSIS_MODE_PRIMARY = 1,

            /** CHASSIS_MODE_BACKUP value */
            CHASSIS_MODE_BACKUP = 2
        }

        /** ChassisState enum. */
        enum ChassisState {

            /** CHASSIS_STATE_UNSPECIFIED value */
            CHASSIS_STATE_UNSPECIFIED = 0,

            /** CHASSIS_STATE_INIT value */
            CHASSIS_STATE_INIT = 1,

            /** CHASSIS_STATE_PENDING_ACTIVE value */
            CHASSIS_STATE_PENDING_ACTIVE = 2,

            /** CHASSIS_STATE_ACTIVE value */
            CHASSIS_STATE_ACTIVE = 3,

            /** CHASSIS_STATE_PENDING_STANDBY value */
            CHASSIS_STATE_PENDING_STANDBY = 4,

            /** CHASSIS_STATE_STANDBY value */
            CHASSIS_STATE_STANDBY = 5
        }

        /** CompressionAlgorithm enum. */
        enum CompressionAlgorithm {

            /** COMPRESSION_NONE value */
            COMPRESSION_NONE = 0,

            /** COMPRESSION_ZLIB value */
            COMPRESSION_ZLIB = 1,

            /** COMPRESSION_LZ4 value */
            COMPRESSION_LZ4 = 2
        }

        /**
         * Properties of a Hello.
         * @deprecated Use srp.v1.Hello.$Properties instead.
         */
        interface IHello extends srp.v1.Hello.$Properties {
        }

        /** Represents a Hello. */
        class Hello {

            /**
             * Constructs a new Hello.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.Hello.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Hello chassisId. */
            chassisId: string;

            /** Hello mode. */
            mode: srp.v1.ChassisMode;

            /** Hello state. */
            state: srp.v1.ChassisState;

            /** Hello priority. */
            priority: number;

            /** Hello cfMac. */
            cfMac: Uint8Array;

            /** Hello routeModifier. */
            routeModifier: number;

            /** Hello configDigest. */
            configDigest: Uint8Array;

            /** Hello sessionCount. */
            sessionCount: (number|Long);

            /** Hello standbyReady. */
            standbyReady: boolean;

            /** Hello sequence. */
            sequence: (number|Long);

            /** Hello sentAtMs. */
            sentAtMs: (number|Long);

            /** Hello echoSentAtMs. */
            echoSentAtMs: (number|Long);

            /** Hello eligibleCount. */
            eligibleCount: (number|Long);

            /** Hello bootId. */
            bootId: (number|Long);

            /** Hello epoch. */
            epoch: (number|Long);

            /** Hello baseEpoch. */
            baseEpoch: (number|Long);

            /** Hello heardBootId. */
            heardBootId: (number|Long);

            /** Hello heardSequence. */
            heardSequence: (number|Long);

            /** Hello heardAgeMs. */
            heardAgeMs: number;

            /** Hello fenced. */
            fenced: boolean;

            /** Hello goodbye. */
            goodbye: boolean;

            /** Hello takeoverNow. */
            takeoverNow: boolean;

            /** Hello partialTable. */
            partialTable: boolean;

            /**
             * Encodes the specified Hello message. Does not implicitly {@link srp.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.Hello & srp.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.Hello & srp.v1.Hello.$Shape;
        }

        namespace Hello {

            /** Properties of a Hello. */
            interface $Properties {

                /** Hello chassisId */
                chassisId?: (string|null);

                /** Hello mode */
                mode?: (srp.v1.ChassisMode|null);

                /** Hello state */
                state?: (srp.v1.ChassisState|null);

                /** Hello priority */
                priority?: (number|null);

                /** Hello cfMac */
                cfMac?: (Uint8Array|null);

                /** Hello routeModifier */
                routeModifier?: (number|null);

                /** Hello configDigest */
                configDigest?: (Uint8Array|null);

                /** Hello sessionCount */
                sessionCount?: (number|Long|null);

                /** Hello standbyReady */
                standbyReady?: (boolean|null);

                /** Hello sequence */
                sequence?: (number|Long|null);

                /** Hello sentAtMs */
                sentAtMs?: (number|Long|null);

                /** Hello echoSentAtMs */
                echoSentAtMs?: (number|Long|null);

                /** Hello eligibleCount */
                eligibleCount?: (number|Long|null);

                /** Hello bootId */
                bootId?: (number|Long|null);

                /** Hello epoch */
                epoch?: (number|Long|null);

                /** Hello baseEpoch */
                baseEpoch?: (number|Long|null);

                /** Hello heardBootId */
                heardBootId?: (number|Long|null);

                /** Hello heardSequence */
                heardSequence?: (number|Long|null);

                /** Hello heardAgeMs */
                heardAgeMs?: (number|null);

                /** Hello fenced */
                fenced?: (boolean|null);

                /** Hello goodbye */
                goodbye?: (boolean|null);

                /** Hello takeoverNow */
                takeoverNow?: (boolean|null);

                /** Hello partialTable */
                partialTable?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Hello. */
            type $Shape = srp.v1.Hello.$Properties;
        }

        /**
         * Properties of a Capabilities.
         * @deprecated Use srp.v1.Capabilities.$Properties instead.
         */
        interface ICapabilities extends srp.v1.Capabilities.$Properties {
        }

        /** Represents a Capabilities. */
        class Capabilities {

            /**
             * Constructs a new Capabilities.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.Capabilities.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Capabilities protocolVersion. */
            protocolVersion: number;

            /** Capabilities compression. */
            compression: srp.v1.CompressionAlgorithm[];

            /** Capabilities features. */
            features: string[];

            /** Capabilities chassisId. */
            chassisId: string;

            /** Capabilities bootId. */
            bootId: (number|Long);

            /** Capabilities maxFrameSize. */
            maxFrameSize: number;

            /** Capabilities nonce. */
            nonce: Uint8Array;

            /**
             * Encodes the specified Capabilities message. Does not implicitly {@link srp.v1.Capabilities.verify|verify} messages.
             * @param message Capabilities message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.Capabilities.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Capabilities message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.Capabilities & srp.v1.Capabilities.$Shape} Capabilities
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.Capabilities & srp.v1.Capabilities.$Shape;
        }

        namespace Capabilities {

            /** Properties of a Capabilities. */
            interface $Properties {

                /** Capabilities protocolVersion */
                protocolVersion?: (number|null);

                /** Capabilities compression */
                compression?: (srp.v1.CompressionAlgorithm[]|null);

                /** Capabilities features */
                features?: (string[]|null);

                /** Capabilities chassisId */
                chassisId?: (string|null);

                /** Capabilities bootId */
                bootId?: (number|Long|null);

                /** Capabilities maxFrameSize */
                maxFrameSize?: (number|null);

                /** Capabilities nonce */
                nonce?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Capabilities. */
            type $Shape = srp.v1.Capabilities.$Properties;
        }

        /**
         * Properties of a HandshakeConfirm.
         * @deprecated Use srp.v1.HandshakeConfirm.$Properties instead.
         */
        interface IHandshakeConfirm extends srp.v1.HandshakeConfirm.$Properties {
        }

        /** Represents a HandshakeConfirm. */
        class HandshakeConfirm {

            /**
             * Constructs a new HandshakeConfirm.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.HandshakeConfirm.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** HandshakeConfirm nonce. */
            nonce: Uint8Array;

            /**
             * Encodes the specified HandshakeConfirm message. Does not implicitly {@link srp.v1.HandshakeConfirm.verify|verify} messages.
             * @param message HandshakeConfirm message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.HandshakeConfirm.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HandshakeConfirm message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.HandshakeConfirm & srp.v1.HandshakeConfirm.$Shape} HandshakeConfirm
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.HandshakeConfirm & srp.v1.HandshakeConfirm.$Shape;
        }

        namespace HandshakeConfirm {

            /** Properties of a HandshakeConfirm. */
            interface $Properties {

                /** HandshakeConfirm nonce */
                nonce?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a HandshakeConfirm. */
            type $Shape = srp.v1.HandshakeConfirm.$Properties;
        }

        /**
         * Properties of a ConfigValidationRequest.
         * @deprecated Use srp.v1.ConfigValidationRequest.$Properties instead.
         */
        interface IConfigValidationRequest extends srp.v1.ConfigValidationRequest.$Properties {
        }

        /** Represents a ConfigValidationRequest. */
        class ConfigValidationRequest {

            /**
             * Constructs a new ConfigValidationRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.ConfigValidationRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ConfigValidationRequest configDigest. */
            configDigest: Uint8Array;

            /** ConfigValidationRequest values. */
            values: { [k: string]: string };

            /**
             * Encodes the specified ConfigValidationRequest message. Does not implicitly {@link srp.v1.ConfigValidationRequest.verify|verify} messages.
             * @param message ConfigValidationRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.ConfigValidationRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigValidationRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.ConfigValidationRequest & srp.v1.ConfigValidationRequest.$Shape} ConfigValidationRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.ConfigValidationRequest & srp.v1.ConfigValidationRequest.$Shape;
        }

        namespace ConfigValidationRequest {

            /** Properties of a ConfigValidationRequest. */
            interface $Properties {

                /** ConfigValidationRequest configDigest */
                configDigest?: (Uint8Array|null);

                /** ConfigValidationRequest values */
                values?: ({ [k: string]: string }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ConfigValidationRequest. */
            type $Shape = srp.v1.ConfigValidationRequest.$Properties;
        }

        /**
         * Properties of a ConfigValidationResponse.
         * @deprecated Use srp.v1.ConfigValidationResponse.$Properties instead.
         */
        interface IConfigValidationResponse extends srp.v1.ConfigValidationResponse.$Properties {
        }

        /** Represents a ConfigValidationResponse. */
        class ConfigValidationResponse {

            /**
             * Constructs a new ConfigValidationResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.ConfigValidationResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ConfigValidationResponse match. */
            match: boolean;

            /** ConfigValidationResponse differingKeys. */
            differingKeys: string[];

            /** ConfigValidationResponse configDigest. */
            configDigest: Uint8Array;

            /**
             * Encodes the specified ConfigValidationResponse message. Does not implicitly {@link srp.v1.ConfigValidationResponse.verify|verify} messages.
             * @param message ConfigValidationResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.ConfigValidationResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConfigValidationResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.ConfigValidationResponse & srp.v1.ConfigValidationResponse.$Shape} ConfigValidationResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.ConfigValidationResponse & srp.v1.ConfigValidationResponse.$Shape;
        }

        namespace ConfigValidationResponse {

            /** Properties of a ConfigValidationResponse. */
            interface $Properties {

                /** ConfigValidationResponse match */
                match?: (boolean|null);

                /** ConfigValidationResponse differingKeys */
                differingKeys?: (string[]|null);

                /** ConfigValidationResponse configDigest */
                configDigest?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ConfigValidationResponse. */
            type $Shape = srp.v1.ConfigValidationResponse.$Properties;
        }

        /**
         * Properties of a MicroCheckpoint.
         * @deprecated Use srp.v1.MicroCheckpoint.$Properties instead.
         */
        interface IMicroCheckpoint extends srp.v1.MicroCheckpoint.$Properties {
        }

        /** Represents a MicroCheckpoint. */
        class MicroCheckpoint {

            /**
             * Constructs a new MicroCheckpoint.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.MicroCheckpoint.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MicroCheckpoint commandId. */
            commandId: number;

            /** MicroCheckpoint sessionId. */
            sessionId: string;

            /** MicroCheckpoint version. */
            version: (number|Long);

            /** MicroCheckpoint payload. */
            payload: Uint8Array;

            /**
             * Encodes the specified MicroCheckpoint message. Does not implicitly {@link srp.v1.MicroCheckpoint.verify|verify} messages.
             * @param message MicroCheckpoint message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.MicroCheckpoint.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MicroCheckpoint message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.MicroCheckpoint & srp.v1.MicroCheckpoint.$Shape} MicroCheckpoint
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.MicroCheckpoint & srp.v1.MicroCheckpoint.$Shape;
        }

        namespace MicroCheckpoint {

            /** Properties of a MicroCheckpoint. */
            interface $Properties {

                /** MicroCheckpoint commandId */
                commandId?: (number|null);

                /** MicroCheckpoint sessionId */
                sessionId?: (string|null);

                /** MicroCheckpoint version */
                version?: (number|Long|null);

                /** MicroCheckpoint payload */
                payload?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MicroCheckpoint. */
            type $Shape = srp.v1.MicroCheckpoint.$Properties;
        }

        /**
         * Properties of a MicroCheckpointBatch.
         * @deprecated Use srp.v1.MicroCheckpointBatch.$Properties instead.
         */
        interface IMicroCheckpointBatch extends srp.v1.MicroCheckpointBatch.$Properties {
        }

        /** Represents a MicroCheckpointBatch. */
        class MicroCheckpointBatch {

            /**
             * Constructs a new MicroCheckpointBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.MicroCheckpointBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MicroCheckpointBatch batchSequence. */
            batchSequence: (number|Long);

            /** MicroCheckpointBatch items. */
            items: srp.v1.MicroCheckpoint.$Properties[];

            /**
             * Encodes the specified MicroCheckpointBatch message. Does not implicitly {@link srp.v1.MicroCheckpointBatch.verify|verify} messages.
             * @param message MicroCheckpointBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.MicroCheckpointBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MicroCheckpointBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.MicroCheckpointBatch & srp.v1.MicroCheckpointBatch.$Shape} MicroCheckpointBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.MicroCheckpointBatch & srp.v1.MicroCheckpointBatch.$Shape;
        }

        namespace MicroCheckpointBatch {

            /** Properties of a MicroCheckpointBatch. */
            interface $Properties {

                /** MicroCheckpointBatch batchSequence */
                batchSequence?: (number|Long|null);

                /** MicroCheckpointBatch items */
                items?: (srp.v1.MicroCheckpoint.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MicroCheckpointBatch. */
            type $Shape = srp.v1.MicroCheckpointBatch.$Properties;
        }

        /**
         * Properties of a SessionRecord.
         * @deprecated Use srp.v1.SessionRecord.$Properties instead.
         */
        interface ISessionRecord extends srp.v1.SessionRecord.$Properties {
        }

        /** Represents a SessionRecord. */
        class SessionRecord {

            /**
             * Constructs a new SessionRecord.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.SessionRecord.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SessionRecord id. */
            id: string;

            /** SessionRecord sessionClass. */
            sessionClass: number;

            /** SessionRecord createdAtMs. */
            createdAtMs: (number|Long);

            /** SessionRecord lifetimeMs. */
            lifetimeMs: (number|Long);

            /** SessionRecord expiresAtMs. */
            expiresAtMs: (number|Long);

            /** SessionRecord attrs. */
            attrs: { [k: string]: string };

            /** SessionRecord counters. */
            counters: { [k: string]: (number|Long) };

            /** SessionRecord version. */
            version: (number|Long);

            /**
             * Encodes the specified SessionRecord message. Does not implicitly {@link srp.v1.SessionRecord.verify|verify} messages.
             * @param message SessionRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.SessionRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SessionRecord message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.SessionRecord & srp.v1.SessionRecord.$Shape} SessionRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.SessionRecord & srp.v1.SessionRecord.$Shape;
        }

        namespace SessionRecord {

            /** Properties of a SessionRecord. */
            interface $Properties {

                /** SessionRecord id */
                id?: (string|null);

                /** SessionRecord sessionClass */
                sessionClass?: (number|null);

                /** SessionRecord createdAtMs */
                createdAtMs?: (number|Long|null);

                /** SessionRecord lifetimeMs */
                lifetimeMs?: (number|Long|null);

                /** SessionRecord expiresAtMs */
                expiresAtMs?: (number|Long|null);

                /** SessionRecord attrs */
                attrs?: ({ [k: string]: string }|null);

                /** SessionRecord counters */
                counters?: ({ [k: string]: (number|Long) }|null);

                /** SessionRecord version */
                version?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SessionRecord. */
            type $Shape = srp.v1.SessionRecord.$Properties;
        }

        /**
         * Properties of a MacroCheckpointBegin.
         * @deprecated Use srp.v1.MacroCheckpointBegin.$Properties instead.
         */
        interface IMacroCheckpointBegin extends srp.v1.MacroCheckpointBegin.$Properties {
        }

        /** Represents a MacroCheckpointBegin. */
        class MacroCheckpointBegin {

            /**
             * Constructs a new MacroCheckpointBegin.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.MacroCheckpointBegin.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MacroCheckpointBegin snapshotId. */
            snapshotId: (number|Long);

            /** MacroCheckpointBegin sessionCount. */
            sessionCount: (number|Long);

            /** MacroCheckpointBegin reason. */
            reason: string;

            /** MacroCheckpointBegin startedAtMs. */
            startedAtMs: (number|Long);

            /** MacroCheckpointBegin resumeAfterBatch. */
            resumeAfterBatch: (number|Long);

            /**
             * Encodes the specified MacroCheckpointBegin message. Does not implicitly {@link srp.v1.MacroCheckpointBegin.verify|verify} messages.
             * @param message MacroCheckpointBegin message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.MacroCheckpointBegin.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MacroCheckpointBegin message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointBegin & srp.v1.MacroCheckpointBegin.$Shape} MacroCheckpointBegin
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.MacroCheckpointBegin & srp.v1.MacroCheckpointBegin.$Shape;
        }

        namespace MacroCheckpointBegin {

            /** Properties of a MacroCheckpointBegin. */
            interface $Properties {

                /** MacroCheckpointBegin snapshotId */
                snapshotId?: (number|Long|null);

                /** MacroCheckpointBegin sessionCount */
                sessionCount?: (number|Long|null);

                /** MacroCheckpointBegin reason */
                reason?: (string|null);

                /** MacroCheckpointBegin startedAtMs */
                startedAtMs?: (number|Long|null);

                /** MacroCheckpointBegin resumeAfterBatch */
                resumeAfterBatch?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MacroCheckpointBegin. */
            type $Shape = srp.v1.MacroCheckpointBegin.$Properties;
        }

        /**
         * Properties of a MacroCheckpointChunk.
         * @deprecated Use srp.v1.MacroCheckpointChunk.$Properties instead.
         */
        interface IMacroCheckpointChunk extends srp.v1.MacroCheckpointChunk.$Properties {
        }

        /** Represents a MacroCheckpointChunk. */
        class MacroCheckpointChunk {

            /**
             * Constructs a new MacroCheckpointChunk.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.MacroCheckpointChunk.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MacroCheckpointChunk snapshotId. */
            snapshotId: (number|Long);

            /** MacroCheckpointChunk chunkSequence. */
            chunkSequence: (number|Long);

            /** MacroCheckpointChunk sessions. */
            sessions: srp.v1.SessionRecord.$Properties[];

            /**
             * Encodes the specified MacroCheckpointChunk message. Does not implicitly {@link srp.v1.MacroCheckpointChunk.verify|verify} messages.
             * @param message MacroCheckpointChunk message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.MacroCheckpointChunk.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MacroCheckpointChunk message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointChunk & srp.v1.MacroCheckpointChunk.$Shape} MacroCheckpointChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.MacroCheckpointChunk & srp.v1.MacroCheckpointChunk.$Shape;
        }

        namespace MacroCheckpointChunk {

            /** Properties of a MacroCheckpointChunk. */
            interface $Properties {

                /** MacroCheckpointChunk snapshotId */
                snapshotId?: (number|Long|null);

                /** MacroCheckpointChunk chunkSequence */
                chunkSequence?: (number|Long|null);

                /** MacroCheckpointChunk sessions */
                sessions?: (srp.v1.SessionRecord.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MacroCheckpointChunk. */
            type $Shape = srp.v1.MacroCheckpointChunk.$Properties;
        }

        /**
         * Properties of a MacroCheckpointEnd.
         * @deprecated Use srp.v1.MacroCheckpointEnd.$Properties instead.
         */
        interface IMacroCheckpointEnd extends srp.v1.MacroCheckpointEnd.$Properties {
        }

        /** Represents a MacroCheckpointEnd. */
        class MacroCheckpointEnd {

            /**
             * Constructs a new MacroCheckpointEnd.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.MacroCheckpointEnd.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MacroCheckpointEnd snapshotId. */
            snapshotId: (number|Long);

            /** MacroCheckpointEnd chunkCount. */
            chunkCount: (number|Long);

            /** MacroCheckpointEnd sessionCount. */
            sessionCount: (number|Long);

            /** MacroCheckpointEnd digest. */
            digest: Uint8Array;

            /**
             * Encodes the specified MacroCheckpointEnd message. Does not implicitly {@link srp.v1.MacroCheckpointEnd.verify|verify} messages.
             * @param message MacroCheckpointEnd message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.MacroCheckpointEnd.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MacroCheckpointEnd message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointEnd & srp.v1.MacroCheckpointEnd.$Shape} MacroCheckpointEnd
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.MacroCheckpointEnd & srp.v1.MacroCheckpointEnd.$Shape;
        }

        namespace MacroCheckpointEnd {

            /** Properties of a MacroCheckpointEnd. */
            interface $Properties {

                /** MacroCheckpointEnd snapshotId */
                snapshotId?: (number|Long|null);

                /** MacroCheckpointEnd chunkCount */
                chunkCount?: (number|Long|null);

                /** MacroCheckpointEnd sessionCount */
                sessionCount?: (number|Long|null);

                /** MacroCheckpointEnd digest */
                digest?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MacroCheckpointEnd. */
            type $Shape = srp.v1.MacroCheckpointEnd.$Properties;
        }

        /**
         * Properties of a CheckpointAck.
         * @deprecated Use srp.v1.CheckpointAck.$Properties instead.
         */
        interface ICheckpointAck extends srp.v1.CheckpointAck.$Properties {
        }

        /** Represents a CheckpointAck. */
        class CheckpointAck {

            /**
             * Constructs a new CheckpointAck.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.CheckpointAck.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** CheckpointAck upToSequence. */
            upToSequence: (number|Long);

            /** CheckpointAck snapshotId. */
            snapshotId: (number|Long);

            /** CheckpointAck failedItems. */
            failedItems: (number|Long);

            /**
             * Encodes the specified CheckpointAck message. Does not implicitly {@link srp.v1.CheckpointAck.verify|verify} messages.
             * @param message CheckpointAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.CheckpointAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CheckpointAck message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.CheckpointAck & srp.v1.CheckpointAck.$Shape} CheckpointAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.CheckpointAck & srp.v1.CheckpointAck.$Shape;
        }

        namespace CheckpointAck {

            /** Properties of a CheckpointAck. */
            interface $Properties {

                /** CheckpointAck upToSequence */
                upToSequence?: (number|Long|null);

                /** CheckpointAck snapshotId */
                snapshotId?: (number|Long|null);

                /** CheckpointAck failedItems */
                failedItems?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a CheckpointAck. */
            type $Shape = srp.v1.CheckpointAck.$Properties;
        }

        /** NackKind enum. */
        enum NackKind {

            /** NACK_KIND_UNSPECIFIED value */
            NACK_KIND_UNSPECIFIED = 0,

            /** NACK_KIND_MICRO value */
            NACK_KIND_MICRO = 1,

            /** NACK_KIND_MACRO value */
            NACK_KIND_MACRO = 2
        }

        /**
         * Properties of a Nack.
         * @deprecated Use srp.v1.Nack.$Properties instead.
         */
        interface INack extends srp.v1.Nack.$Properties {
        }

        /** Represents a Nack. */
        class Nack {

            /**
             * Constructs a new Nack.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.Nack.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Nack kind. */
            kind: srp.v1.NackKind;

            /** Nack commandId. */
            commandId: number;

            /** Nack sessionId. */
            sessionId: string;

            /** Nack reason. */
            reason: string;

            /** Nack sequence. */
            sequence: (number|Long);

            /**
             * Encodes the specified Nack message. Does not implicitly {@link srp.v1.Nack.verify|verify} messages.
             * @param message Nack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.Nack.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Nack message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.Nack & srp.v1.Nack.$Shape} Nack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.Nack & srp.v1.Nack.$Shape;
        }

        namespace Nack {

            /** Properties of a Nack. */
            interface $Properties {

                /** Nack kind */
                kind?: (srp.v1.NackKind|null);

                /** Nack commandId */
                commandId?: (number|null);

                /** Nack sessionId */
                sessionId?: (string|null);

                /** Nack reason */
                reason?: (string|null);

                /** Nack sequence */
                sequence?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Nack. */
            type $Shape = srp.v1.Nack.$Properties;
        }

        /**
         * Properties of a SwitchoverRequest.
         * @deprecated Use srp.v1.SwitchoverRequest.$Properties instead.
         */
        interface ISwitchoverRequest extends srp.v1.SwitchoverRequest.$Properties {
        }

        /** Represents a SwitchoverRequest. */
        class SwitchoverRequest {

            /**
             * Constructs a new SwitchoverRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.SwitchoverRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SwitchoverRequest force. */
            force: boolean;

            /** SwitchoverRequest reason. */
            reason: string;

            /** SwitchoverRequest requestId. */
            requestId: (number|Long);

            /** SwitchoverRequest flushedUpTo. */
            flushedUpTo: (number|Long);

            /**
             * Encodes the specified SwitchoverRequest message. Does not implicitly {@link srp.v1.SwitchoverRequest.verify|verify} messages.
             * @param message SwitchoverRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.SwitchoverRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SwitchoverRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.SwitchoverRequest & srp.v1.SwitchoverRequest.$Shape} SwitchoverRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.SwitchoverRequest & srp.v1.SwitchoverRequest.$Shape;
        }

        namespace SwitchoverRequest {

            /** Properties of a SwitchoverRequest. */
            interface $Properties {

                /** SwitchoverRequest force */
                force?: (boolean|null);

                /** SwitchoverRequest reason */
                reason?: (string|null);

                /** SwitchoverRequest requestId */
                requestId?: (number|Long|null);

                /** SwitchoverRequest flushedUpTo */
                flushedUpTo?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SwitchoverRequest. */
            type $Shape = srp.v1.SwitchoverRequest.$Properties;
        }

        /**
         * Properties of a SwitchoverResponse.
         * @deprecated Use srp.v1.SwitchoverResponse.$Properties instead.
         */
        interface ISwitchoverResponse extends srp.v1.SwitchoverResponse.$Properties {
        }

        /** Represents a SwitchoverResponse. */
        class SwitchoverResponse {

            /**
             * Constructs a new SwitchoverResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.SwitchoverResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SwitchoverResponse requestId. */
            requestId: (number|Long);

            /** SwitchoverResponse accepted. */
            accepted: boolean;

            /** SwitchoverResponse refusalReasons. */
            refusalReasons: string[];

            /**
             * Encodes the specified SwitchoverResponse message. Does not implicitly {@link srp.v1.SwitchoverResponse.verify|verify} messages.
             * @param message SwitchoverResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.SwitchoverResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SwitchoverResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.SwitchoverResponse & srp.v1.SwitchoverResponse.$Shape} SwitchoverResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.SwitchoverResponse & srp.v1.SwitchoverResponse.$Shape;
        }

        namespace SwitchoverResponse {

            /** Properties of a SwitchoverResponse. */
            interface $Properties {

                /** SwitchoverResponse requestId */
                requestId?: (number|Long|null);

                /** SwitchoverResponse accepted */
                accepted?: (boolean|null);

                /** SwitchoverResponse refusalReasons */
                refusalReasons?: (string[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SwitchoverResponse. */
            type $Shape = srp.v1.SwitchoverResponse.$Properties;
        }

        /**
         * Properties of an AuditRequest.
         * @deprecated Use srp.v1.AuditRequest.$Properties instead.
         */
        interface IAuditRequest extends srp.v1.AuditRequest.$Properties {
        }

        /** Represents an AuditRequest. */
        class AuditRequest {

            /**
             * Constructs a new AuditRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.AuditRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AuditRequest auditId. */
            auditId: (number|Long);

            /** AuditRequest bucketCount. */
            bucketCount: number;

            /** AuditRequest withSync. */
            withSync: boolean;

            /** AuditRequest trigger. */
            trigger: string;

            /**
             * Encodes the specified AuditRequest message. Does not implicitly {@link srp.v1.AuditRequest.verify|verify} messages.
             * @param message AuditRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.AuditRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AuditRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.AuditRequest & srp.v1.AuditRequest.$Shape} AuditRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.AuditRequest & srp.v1.AuditRequest.$Shape;
        }

        namespace AuditRequest {

            /** Properties of an AuditRequest. */
            interface $Properties {

                /** AuditRequest auditId */
                auditId?: (number|Long|null);

                /** AuditRequest bucketCount */
                bucketCount?: (number|null);

                /** AuditRequest withSync */
                withSync?: (boolean|null);

                /** AuditRequest trigger */
                trigger?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AuditRequest. */
            type $Shape = srp.v1.AuditRequest.$Properties;
        }

        /**
         * Properties of a BucketDigest.
         * @deprecated Use srp.v1.BucketDigest.$Properties instead.
         */
        interface IBucketDigest extends srp.v1.BucketDigest.$Properties {
        }

        /** Represents a BucketDigest. */
        class BucketDigest {

            /**
             * Constructs a new BucketDigest.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.BucketDigest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** BucketDigest bucket. */
            bucket: number;

            /** BucketDigest digest. */
            digest: Uint8Array;

            /** BucketDigest sessionCount. */
            sessionCount: (number|Long);

            /**
             * Encodes the specified BucketDigest message. Does not implicitly {@link srp.v1.BucketDigest.verify|verify} messages.
             * @param message BucketDigest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.BucketDigest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BucketDigest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.BucketDigest & srp.v1.BucketDigest.$Shape} BucketDigest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.BucketDigest & srp.v1.BucketDigest.$Shape;
        }

        namespace BucketDigest {

            /** Properties of a BucketDigest. */
            interface $Properties {

                /** BucketDigest bucket */
                bucket?: (number|null);

                /** BucketDigest digest */
                digest?: (Uint8Array|null);

                /** BucketDigest sessionCount */
                sessionCount?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a BucketDigest. */
            type $Shape = srp.v1.BucketDigest.$Properties;
        }

        /**
         * Properties of an AuditBucketDigests.
         * @deprecated Use srp.v1.AuditBucketDigests.$Properties instead.
         */
        interface IAuditBucketDigests extends srp.v1.AuditBucketDigests.$Properties {
        }

        /** Represents an AuditBucketDigests. */
        class AuditBucketDigests {

            /**
             * Constructs a new AuditBucketDigests.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.AuditBucketDigests.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AuditBucketDigests auditId. */
            auditId: (number|Long);

            /** AuditBucketDigests buckets. */
            buckets: srp.v1.BucketDigest.$Properties[];

            /**
             * Encodes the specified AuditBucketDigests message. Does not implicitly {@link srp.v1.AuditBucketDigests.verify|verify} messages.
             * @param message AuditBucketDigests message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.AuditBucketDigests.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AuditBucketDigests message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.AuditBucketDigests & srp.v1.AuditBucketDigests.$Shape} AuditBucketDigests
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.AuditBucketDigests & srp.v1.AuditBucketDigests.$Shape;
        }

        namespace AuditBucketDigests {

            /** Properties of an AuditBucketDigests. */
            interface $Properties {

                /** AuditBucketDigests auditId */
                auditId?: (number|Long|null);

                /** AuditBucketDigests buckets */
                buckets?: (srp.v1.BucketDigest.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AuditBucketDigests. */
            type $Shape = srp.v1.AuditBucketDigests.$Properties;
        }

        /**
         * Properties of an AuditReport.
         * @deprecated Use srp.v1.AuditReport.$Properties instead.
         */
        interface IAuditReport extends srp.v1.AuditReport.$Properties {
        }

        /** Represents an AuditReport. */
        class AuditReport {

            /**
             * Constructs a new AuditReport.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.AuditReport.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AuditReport auditId. */
            auditId: (number|Long);

            /** AuditReport differingBuckets. */
            differingBuckets: number[];

            /** AuditReport sessionsCompared. */
            sessionsCompared: (number|Long);

            /** AuditReport sessionsResynced. */
            sessionsResynced: (number|Long);

            /** AuditReport withSync. */
            withSync: boolean;

            /**
             * Encodes the specified AuditReport message. Does not implicitly {@link srp.v1.AuditReport.verify|verify} messages.
             * @param message AuditReport message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.AuditReport.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AuditReport message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.AuditReport & srp.v1.AuditReport.$Shape} AuditReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.AuditReport & srp.v1.AuditReport.$Shape;
        }

        namespace AuditReport {

            /** Properties of an AuditReport. */
            interface $Properties {

                /** AuditReport auditId */
                auditId?: (number|Long|null);

                /** AuditReport differingBuckets */
                differingBuckets?: (number[]|null);

                /** AuditReport sessionsCompared */
                sessionsCompared?: (number|Long|null);

                /** AuditReport sessionsResynced */
                sessionsResynced?: (number|Long|null);

                /** AuditReport withSync */
                withSync?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AuditReport. */
            type $Shape = srp.v1.AuditReport.$Properties;
        }

        /**
         * Properties of a Goodbye.
         * @deprecated Use srp.v1.Goodbye.$Properties instead.
         */
        interface IGoodbye extends srp.v1.Goodbye.$Properties {
        }

        /** Represents a Goodbye. */
        class Goodbye {

            /**
             * Constructs a new Goodbye.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.Goodbye.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Goodbye reason. */
            reason: string;

            /** Goodbye takeoverNow. */
            takeoverNow: boolean;

            /**
             * Encodes the specified Goodbye message. Does not implicitly {@link srp.v1.Goodbye.verify|verify} messages.
             * @param message Goodbye message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.Goodbye.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Goodbye message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.Goodbye & srp.v1.Goodbye.$Shape} Goodbye
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.Goodbye & srp.v1.Goodbye.$Shape;
        }

        namespace Goodbye {

            /** Properties of a Goodbye. */
            interface $Properties {

                /** Goodbye reason */
                reason?: (string|null);

                /** Goodbye takeoverNow */
                takeoverNow?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Goodbye. */
            type $Shape = srp.v1.Goodbye.$Properties;
        }

        /**
         * Properties of a SplitHandoff.
         * @deprecated Use srp.v1.SplitHandoff.$Properties instead.
         */
        interface ISplitHandoff extends srp.v1.SplitHandoff.$Properties {
        }

        /** Represents a SplitHandoff. */
        class SplitHandoff {

            /**
             * Constructs a new SplitHandoff.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.SplitHandoff.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SplitHandoff handoffId. */
            handoffId: (number|Long);

            /** SplitHandoff epoch. */
            epoch: (number|Long);

            /** SplitHandoff chunkSequence. */
            chunkSequence: (number|Long);

            /** SplitHandoff last. */
            last: boolean;

            /** SplitHandoff sessions. */
            sessions: srp.v1.SessionRecord.$Properties[];

            /** SplitHandoff deletedIds. */
            deletedIds: string[];

            /** SplitHandoff deletedVersions. */
            deletedVersions: (number|Long)[];

            /** SplitHandoff attrTimes. */
            attrTimes: srp.v1.AttrTimes.$Properties[];

            /**
             * Encodes the specified SplitHandoff message. Does not implicitly {@link srp.v1.SplitHandoff.verify|verify} messages.
             * @param message SplitHandoff message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.SplitHandoff.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SplitHandoff message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.SplitHandoff & srp.v1.SplitHandoff.$Shape} SplitHandoff
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.SplitHandoff & srp.v1.SplitHandoff.$Shape;
        }

        namespace SplitHandoff {

            /** Properties of a SplitHandoff. */
            interface $Properties {

                /** SplitHandoff handoffId */
                handoffId?: (number|Long|null);

                /** SplitHandoff epoch */
                epoch?: (number|Long|null);

                /** SplitHandoff chunkSequence */
                chunkSequence?: (number|Long|null);

                /** SplitHandoff last */
                last?: (boolean|null);

                /** SplitHandoff sessions */
                sessions?: (srp.v1.SessionRecord.$Properties[]|null);

                /** SplitHandoff deletedIds */
                deletedIds?: (string[]|null);

                /** SplitHandoff deletedVersions */
                deletedVersions?: ((number|Long)[]|null);

                /** SplitHandoff attrTimes */
                attrTimes?: (srp.v1.AttrTimes.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SplitHandoff. */
            type $Shape = srp.v1.SplitHandoff.$Properties;
        }

        /**
         * Properties of an AttrTimes.
         * @deprecated Use srp.v1.AttrTimes.$Properties instead.
         */
        interface IAttrTimes extends srp.v1.AttrTimes.$Properties {
        }

        /** Represents an AttrTimes. */
        class AttrTimes {

            /**
             * Constructs a new AttrTimes.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.AttrTimes.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** AttrTimes names. */
            names: string[];

            /** AttrTimes atMs. */
            atMs: (number|Long)[];

            /**
             * Encodes the specified AttrTimes message. Does not implicitly {@link srp.v1.AttrTimes.verify|verify} messages.
             * @param message AttrTimes message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.AttrTimes.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AttrTimes message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.AttrTimes & srp.v1.AttrTimes.$Shape} AttrTimes
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.AttrTimes & srp.v1.AttrTimes.$Shape;
        }

        namespace AttrTimes {

            /** Properties of an AttrTimes. */
            interface $Properties {

                /** AttrTimes names */
                names?: (string[]|null);

                /** AttrTimes atMs */
                atMs?: ((number|Long)[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an AttrTimes. */
            type $Shape = srp.v1.AttrTimes.$Properties;
        }

        /**
         * Properties of a Keepalive.
         * @deprecated Use srp.v1.Keepalive.$Properties instead.
         */
        interface IKeepalive extends srp.v1.Keepalive.$Properties {
        }

        /** Represents a Keepalive. */
        class Keepalive {

            /**
             * Constructs a new Keepalive.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.Keepalive.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Encodes the specified Keepalive message. Does not implicitly {@link srp.v1.Keepalive.verify|verify} messages.
             * @param message Keepalive message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.Keepalive.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Keepalive message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.Keepalive & srp.v1.Keepalive.$Shape} Keepalive
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.Keepalive & srp.v1.Keepalive.$Shape;
        }

        namespace Keepalive {

            /** Properties of a Keepalive. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Keepalive. */
            type $Shape = srp.v1.Keepalive.$Properties;
        }

        /**
         * Properties of a SplitHandoffAck.
         * @deprecated Use srp.v1.SplitHandoffAck.$Properties instead.
         */
        interface ISplitHandoffAck extends srp.v1.SplitHandoffAck.$Properties {
        }

        /** Represents a SplitHandoffAck. */
        class SplitHandoffAck {

            /**
             * Constructs a new SplitHandoffAck.
             * @param [properties] Properties to set
             */
            constructor(properties?: srp.v1.SplitHandoffAck.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SplitHandoffAck handoffId. */
            handoffId: (number|Long);

            /** SplitHandoffAck applied. */
            applied: (number|Long);

            /** SplitHandoffAck conflicts. */
            conflicts: (number|Long);

            /** SplitHandoffAck conflictIds. */
            conflictIds: string[];

            /**
             * Encodes the specified SplitHandoffAck message. Does not implicitly {@link srp.v1.SplitHandoffAck.verify|verify} messages.
             * @param message SplitHandoffAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: srp.v1.SplitHandoffAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SplitHandoffAck message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {srp.v1.SplitHandoffAck & srp.v1.SplitHandoffAck.$Shape} SplitHandoffAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): srp.v1.SplitHandoffAck & srp.v1.SplitHandoffAck.$Shape;
        }

        namespace SplitHandoffAck {

            /** Properties of a SplitHandoffAck. */
            interface $Properties {

                /** SplitHandoffAck handoffId */
                handoffId?: (number|Long|null);

                /** SplitHandoffAck applied */
                applied?: (number|Long|null);

                /** SplitHandoffAck conflicts */
                conflicts?: (number|Long|null);

                /** SplitHandoffAck conflictIds */
                conflictIds?: (string[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SplitHandoffAck. */
            type $Shape = srp.v1.SplitHandoffAck.$Properties;
        }
    }
}
