/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const srp = $root.srp = (() => {

    /**
     * Namespace srp.
     * @exports srp
     * @namespace
     */
    const srp = {};

    srp.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof srp
         * @namespace
         */
        const v1 = {};

        /**
         * ChassisMode enum.
         * @name srp.v1.ChassisMode
         * @enum {number}
         * @property {number} CHASSIS_MODE_UNSPECIFIED=0 CHASSIS_MODE_UNSPECIFIED value
         * @property {number} CHASSIS_MODE_PRIMARY=1 CHASSIS_MODE_PRIMARY value
         * @property {number} CHASSIS_MODE_BACKUP=2 CHASSIS_MODE_BACKUP value
         */
        v1.ChassisMode = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "CHASSIS_MODE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "CHASSIS_MODE_PRIMARY"] = 1;
            values[valuesById[2] = "CHASSIS_MODE_BACKUP"] = 2;
            return values;
        })();

        /**
         * ChassisState enum.
         * @name srp.v1.ChassisState
         * @enum {number}
         * @property {number} CHASSIS_STATE_UNSPECIFIED=0 CHASSIS_STATE_UNSPECIFIED value
         * @property {number} CHASSIS_STATE_INIT=1 CHASSIS_STATE_INIT value
         * @property {number} CHASSIS_STATE_PENDING_ACTIVE=2 CHASSIS_STATE_PENDING_ACTIVE value
         * @property {number} CHASSIS_STATE_ACTIVE=3 CHASSIS_STATE_ACTIVE value
         * @property {number} CHASSIS_STATE_PENDING_STANDBY=4 CHASSIS_STATE_PENDING_STANDBY value
         * @property {number} CHASSIS_STATE_STANDBY=5 CHASSIS_STATE_STANDBY value
         */
        v1.ChassisState = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "CHASSIS_STATE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "CHASSIS_STATE_INIT"] = 1;
            values[valuesById[2] = "CHASSIS_STATE_PENDING_ACTIVE"] = 2;
            values[valuesById[3] = "CHASSIS_STATE_ACTIVE"] = 3;
            values[valuesById[4] = "CHASSIS_STATE_PENDING_STANDBY"] = 4;
            values[valuesById[5] = "CHASSIS_STATE_STANDBY"] = 5;
            return values;
        })();

        /**
         * CompressionAlgorithm enum.
         * @name srp.v1.CompressionAlgorithm
         * @enum {number}
         * @property {number} COMPRESSION_NONE=0 COMPRESSION_NONE value
         * @property {number} COMPRESSION_ZLIB=1 COMPRESSION_ZLIB value
         * @property {number} COMPRESSION_LZ4=2 COMPRESSION_LZ4 value
         */
        v1.CompressionAlgorithm = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "COMPRESSION_NONE"] = 0;
            values[valuesById[1] = "COMPRESSION_ZLIB"] = 1;
            values[valuesById[2] = "COMPRESSION_LZ4"] = 2;
            return values;
        })();

        v1.Hello = (function() {

            /**
             * Properties of a Hello.
             * @typedef {Object} srp.v1.Hello.$Properties
             * @property {string|null} [chassisId] Hello chassisId
             * @property {srp.v1.ChassisMode|null} [mode] Hello mode
             * @property {srp.v1.ChassisState|null} [state] Hello state
             * @property {number|null} [priority] Hello priority
             * @property {Uint8Array|null} [cfMac] Hello cfMac
             * @property {number|null} [routeModifier] Hello routeModifier
             * @property {Uint8Array|null} [configDigest] Hello configDigest
             * @property {number|Long|null} [sessionCount] Hello sessionCount
             * @property {boolean|null} [standbyReady] Hello standbyReady
             * @property {number|Long|null} [sequence] Hello sequence
             * @property {number|Long|null} [sentAtMs] Hello sentAtMs
             * @property {number|Long|null} [echoSentAtMs] Hello echoSentAtMs
             * @property {number|Long|null} [eligibleCount] Hello eligibleCount
             * @property {number|Long|null} [bootId] Hello bootId
             * @property {number|Long|null} [epoch] Hello epoch
             * @property {number|Long|null} [baseEpoch] Hello baseEpoch
             * @property {number|Long|null} [heardBootId] Hello heardBootId
             * @property {number|Long|null} [heardSequence] Hello heardSequence
             * @property {number|null} [heardAgeMs] Hello heardAgeMs
             * @property {boolean|null} [fenced] Hello fenced
             * @property {boolean|null} [goodbye] Hello goodbye
             * @property {boolean|null} [takeoverNow] Hello takeoverNow
             * @property {boolean|null} [partialTable] Hello partialTable
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Hello.
             * @memberof srp.v1
             * @interface IHello
             * @augments srp.v1.Hello.$Properties
             * @deprecated Use srp.v1.Hello.$Properties instead.
             */

            /**
             * Shape of a Hello.
             * @typedef {srp.v1.Hello.$Properties} srp.v1.Hello.$Shape
             */

            /**
             * Constructs a new Hello.
             * @memberof srp.v1
             * @classdesc Represents a Hello.
             * @constructor
             * @param {srp.v1.Hello.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Hello = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Hello chassisId.
             * @member {string} chassisId
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.chassisId = "";

            /**
             * Hello mode.
             * @member {srp.v1.ChassisMode} mode
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.mode = 0;

            /**
             * Hello state.
             * @member {srp.v1.ChassisState} state
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.state = 0;

            /**
             * Hello priority.
             * @member {number} priority
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.priority = 0;

            /**
             * Hello cfMac.
             * @member {Uint8Array} cfMac
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.cfMac = $util.newBuffer([]);

            /**
             * Hello routeModifier.
             * @member {number} routeModifier
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.routeModifier = 0;

            /**
             * Hello configDigest.
             * @member {Uint8Array} configDigest
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.configDigest = $util.newBuffer([]);

            /**
             * Hello sessionCount.
             * @member {number|Long} sessionCount
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.sessionCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello standbyReady.
             * @member {boolean} standbyReady
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.standbyReady = false;

            /**
             * Hello sequence.
             * @member {number|Long} sequence
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello sentAtMs.
             * @member {number|Long} sentAtMs
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.sentAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello echoSentAtMs.
             * @member {number|Long} echoSentAtMs
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.echoSentAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello eligibleCount.
             * @member {number|Long} eligibleCount
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.eligibleCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello bootId.
             * @member {number|Long} bootId
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.bootId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello epoch.
             * @member {number|Long} epoch
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello baseEpoch.
             * @member {number|Long} baseEpoch
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.baseEpoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello heardBootId.
             * @member {number|Long} heardBootId
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.heardBootId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello heardSequence.
             * @member {number|Long} heardSequence
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.heardSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello heardAgeMs.
             * @member {number} heardAgeMs
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.heardAgeMs = 0;

            /**
             * Hello fenced.
             * @member {boolean} fenced
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.fenced = false;

            /**
             * Hello goodbye.
             * @member {boolean} goodbye
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.goodbye = false;

            /**
             * Hello takeoverNow.
             * @member {boolean} takeoverNow
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.takeoverNow = false;

            /**
             * Hello partialTable.
             * @member {boolean} partialTable
             * @memberof srp.v1.Hello
             * @instance
             */
            Hello.prototype.partialTable = false;

            /**
             * Encodes the specified Hello message. Does not implicitly {@link srp.v1.Hello.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.Hello
             * @static
             * @param {srp.v1.Hello.$Properties} message Hello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Hello.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.chassisId != null && $Object.hasOwnProperty.call(message, "chassisId") && message.chassisId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.chassisId);
                if (message.mode != null && $Object.hasOwnProperty.call(message, "mode") && message.mode !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.mode);
                if (message.state != null && $Object.hasOwnProperty.call(message, "state") && message.state !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.state);
                if (message.priority != null && $Object.hasOwnProperty.call(message, "priority") && message.priority !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.priority);
                if (message.cfMac != null && $Object.hasOwnProperty.call(message, "cfMac") && message.cfMac.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.cfMac);
                if (message.routeModifier != null && $Object.hasOwnProperty.call(message, "routeModifier") && message.routeModifier !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.routeModifier);
                if (message.configDigest != null && $Object.hasOwnProperty.call(message, "configDigest") && message.configDigest.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.configDigest);
                if (message.sessionCount != null && $Object.hasOwnProperty.call(message, "sessionCount") && (typeof message.sessionCount === "object" ? message.sessionCount.low || message.sessionCount.high : message.sessionCount !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.sessionCount);
                if (message.standbyReady != null && $Object.hasOwnProperty.call(message, "standbyReady") && message.standbyReady !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.standbyReady);
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence") && (typeof message.sequence === "object" ? message.sequence.low || message.sequence.high : message.sequence !== 0))
                    writer.uint32(/* id 10, wireType 0 =*/80).uint64(message.sequence);
                if (message.sentAtMs != null && $Object.hasOwnProperty.call(message, "sentAtMs") && (typeof message.sentAtMs === "object" ? message.sentAtMs.low || message.sentAtMs.high : message.sentAtMs !== 0))
                    writer.uint32(/* id 11, wireType 0 =*/88).uint64(message.sentAtMs);
                if (message.echoSentAtMs != null && $Object.hasOwnProperty.call(message, "echoSentAtMs") && (typeof message.echoSentAtMs === "object" ? message.echoSentAtMs.low || message.echoSentAtMs.high : message.echoSentAtMs !== 0))
                    writer.uint32(/* id 12, wireType 0 =*/96).uint64(message.echoSentAtMs);
                if (message.eligibleCount != null && $Object.hasOwnProperty.call(message, "eligibleCount") && (typeof message.eligibleCount === "object" ? message.eligibleCount.low || message.eligibleCount.high : message.eligibleCount !== 0))
                    writer.uint32(/* id 13, wireType 0 =*/104).uint64(message.eligibleCount);
                if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && (typeof message.bootId === "object" ? message.bootId.low || message.bootId.high : message.bootId !== 0))
                    writer.uint32(/* id 14, wireType 0 =*/112).uint64(message.bootId);
                if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && (typeof message.epoch === "object" ? message.epoch.low || message.epoch.high : message.epoch !== 0))
                    writer.uint32(/* id 15, wireType 0 =*/120).uint64(message.epoch);
                if (message.baseEpoch != null && $Object.hasOwnProperty.call(message, "baseEpoch") && (typeof message.baseEpoch === "object" ? message.baseEpoch.low || message.baseEpoch.high : message.baseEpoch !== 0))
                    writer.uint32(/* id 16, wireType 0 =*/128).uint64(message.baseEpoch);
                if (message.heardBootId != null && $Object.hasOwnProperty.call(message, "heardBootId") && (typeof message.heardBootId === "object" ? message.heardBootId.low || message.heardBootId.high : message.heardBootId !== 0))
                    writer.uint32(/* id 17, wireType 0 =*/136).uint64(message.heardBootId);
                if (message.heardSequence != null && $Object.hasOwnProperty.call(message, "heardSequence") && (typeof message.heardSequence === "object" ? message.heardSequence.low || message.heardSequence.high : message.heardSequence !== 0))
                    writer.uint32(/* id 18, wireType 0 =*/144).uint64(message.heardSequence);
                if (message.heardAgeMs != null && $Object.hasOwnProperty.call(message, "heardAgeMs") && message.heardAgeMs !== 0)
                    writer.uint32(/* id 19, wireType 0 =*/152).uint32(message.heardAgeMs);
                if (message.fenced != null && $Object.hasOwnProperty.call(message, "fenced") && message.fenced !== false)
                    writer.uint32(/* id 20, wireType 0 =*/160).bool(message.fenced);
                if (message.goodbye != null && $Object.hasOwnProperty.call(message, "goodbye") && message.goodbye !== false)
                    writer.uint32(/* id 21, wireType 0 =*/168).bool(message.goodbye);
                if (message.takeoverNow != null && $Object.hasOwnProperty.call(message, "takeoverNow") && message.takeoverNow !== false)
                    writer.uint32(/* id 22, wireType 0 =*/176).bool(message.takeoverNow);
                if (message.partialTable != null && $Object.hasOwnProperty.call(message, "partialTable") && message.partialTable !== false)
                    writer.uint32(/* id 23, wireType 0 =*/184).bool(message.partialTable);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.Hello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.Hello & srp.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Hello.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.Hello();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.chassisId = value;
                            else
                                delete message.chassisId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.mode = value;
                            else
                                delete message.mode;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.state = value;
                            else
                                delete message.state;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.priority = value;
                            else
                                delete message.priority;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.cfMac = value;
                            else
                                delete message.cfMac;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.routeModifier = value;
                            else
                                delete message.routeModifier;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.configDigest = value;
                            else
                                delete message.configDigest;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionCount = value;
                            else
                                delete message.sessionCount;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.standbyReady = value;
                            else
                                delete message.standbyReady;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sequence = value;
                            else
                                delete message.sequence;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentAtMs = value;
                            else
                                delete message.sentAtMs;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.echoSentAtMs = value;
                            else
                                delete message.echoSentAtMs;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.eligibleCount = value;
                            else
                                delete message.eligibleCount;
                            continue;
                        }
                    case 14: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bootId = value;
                            else
                                delete message.bootId;
                            continue;
                        }
                    case 15: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.epoch = value;
                            else
                                delete message.epoch;
                            continue;
                        }
                    case 16: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.baseEpoch = value;
                            else
                                delete message.baseEpoch;
                            continue;
                        }
                    case 17: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.heardBootId = value;
                            else
                                delete message.heardBootId;
                            continue;
                        }
                    case 18: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.heardSequence = value;
                            else
                                delete message.heardSequence;
                            continue;
                        }
                    case 19: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.heardAgeMs = value;
                            else
                                delete message.heardAgeMs;
                            continue;
                        }
                    case 20: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.fenced = value;
                            else
                                delete message.fenced;
                            continue;
                        }
                    case 21: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.goodbye = value;
                            else
                                delete message.goodbye;
                            continue;
                        }
                    case 22: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.takeoverNow = value;
                            else
                                delete message.takeoverNow;
                            continue;
                        }
                    case 23: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.partialTable = value;
                            else
                                delete message.partialTable;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Hello;
        })();

        v1.Capabilities = (function() {

            /**
             * Properties of a Capabilities.
             * @typedef {Object} srp.v1.Capabilities.$Properties
             * @property {number|null} [protocolVersion] Capabilities protocolVersion
             * @property {Array.<srp.v1.CompressionAlgorithm>|null} [compression] Capabilities compression
             * @property {Array.<string>|null} [features] Capabilities features
             * @property {string|null} [chassisId] Capabilities chassisId
             * @property {number|Long|null} [bootId] Capabilities bootId
             * @property {number|null} [maxFrameSize] Capabilities maxFrameSize
             * @property {Uint8Array|null} [nonce] Capabilities nonce
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Capabilities.
             * @memberof srp.v1
             * @interface ICapabilities
             * @augments srp.v1.Capabilities.$Properties
             * @deprecated Use srp.v1.Capabilities.$Properties instead.
             */

            /**
             * Shape of a Capabilities.
             * @typedef {srp.v1.Capabilities.$Properties} srp.v1.Capabilities.$Shape
             */

            /**
             * Constructs a new Capabilities.
             * @memberof srp.v1
             * @classdesc Represents a Capabilities.
             * @constructor
             * @param {srp.v1.Capabilities.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Capabilities = function (properties) {
                this.compression = [];
                this.features = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Capabilities protocolVersion.
             * @member {number} protocolVersion
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.protocolVersion = 0;

            /**
             * Capabilities compression.
             * @member {Array.<srp.v1.CompressionAlgorithm>} compression
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.compression = $util.emptyArray;

            /**
             * Capabilities features.
             * @member {Array.<string>} features
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.features = $util.emptyArray;

            /**
             * Capabilities chassisId.
             * @member {string} chassisId
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.chassisId = "";

            /**
             * Capabilities bootId.
             * @member {number|Long} bootId
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.bootId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Capabilities maxFrameSize.
             * @member {number} maxFrameSize
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.maxFrameSize = 0;

            /**
             * Capabilities nonce.
             * @member {Uint8Array} nonce
             * @memberof srp.v1.Capabilities
             * @instance
             */
            Capabilities.prototype.nonce = $util.newBuffer([]);

            /**
             * Encodes the specified Capabilities message. Does not implicitly {@link srp.v1.Capabilities.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.Capabilities
             * @static
             * @param {srp.v1.Capabilities.$Properties} message Capabilities message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Capabilities.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.compression != null && message.compression.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).int32s(message.compression);
                if (message.features != null && message.features.length)
                    for (let i = 0; i < message.features.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.features[i]);
                if (message.chassisId != null && $Object.hasOwnProperty.call(message, "chassisId") && message.chassisId !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.chassisId);
                if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && (typeof message.bootId === "object" ? message.bootId.low || message.bootId.high : message.bootId !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.bootId);
                if (message.maxFrameSize != null && $Object.hasOwnProperty.call(message, "maxFrameSize") && message.maxFrameSize !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.maxFrameSize);
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.nonce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Capabilities message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.Capabilities
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.Capabilities & srp.v1.Capabilities.$Shape} Capabilities
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Capabilities.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.Capabilities();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType === 2) {
                                if (!(message.compression && message.compression.length))
                                    message.compression = [];
                                reader.int32s(message.compression);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.compression && message.compression.length))
                                message.compression = [];
                            message.compression.push(reader.int32());
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.features && message.features.length))
                                message.features = [];
                            message.features.push(reader.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.chassisId = value;
                            else
                                delete message.chassisId;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bootId = value;
                            else
                                delete message.bootId;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.maxFrameSize = value;
                            else
                                delete message.maxFrameSize;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Capabilities;
        })();

        v1.HandshakeConfirm = (function() {

            /**
             * Properties of a HandshakeConfirm.
             * @typedef {Object} srp.v1.HandshakeConfirm.$Properties
             * @property {Uint8Array|null} [nonce] HandshakeConfirm nonce
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HandshakeConfirm.
             * @memberof srp.v1
             * @interface IHandshakeConfirm
             * @augments srp.v1.HandshakeConfirm.$Properties
             * @deprecated Use srp.v1.HandshakeConfirm.$Properties instead.
             */

            /**
             * Shape of a HandshakeConfirm.
             * @typedef {srp.v1.HandshakeConfirm.$Properties} srp.v1.HandshakeConfirm.$Shape
             */

            /**
             * Constructs a new HandshakeConfirm.
             * @memberof srp.v1
             * @classdesc Represents a HandshakeConfirm.
             * @constructor
             * @param {srp.v1.HandshakeConfirm.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HandshakeConfirm = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HandshakeConfirm nonce.
             * @member {Uint8Array} nonce
             * @memberof srp.v1.HandshakeConfirm
             * @instance
             */
            HandshakeConfirm.prototype.nonce = $util.newBuffer([]);

            /**
             * Encodes the specified HandshakeConfirm message. Does not implicitly {@link srp.v1.HandshakeConfirm.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.HandshakeConfirm
             * @static
             * @param {srp.v1.HandshakeConfirm.$Properties} message HandshakeConfirm message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HandshakeConfirm.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.nonce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a HandshakeConfirm message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.HandshakeConfirm
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.HandshakeConfirm & srp.v1.HandshakeConfirm.$Shape} HandshakeConfirm
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HandshakeConfirm.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.HandshakeConfirm();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return HandshakeConfirm;
        })();

        v1.ConfigValidationRequest = (function() {

            /**
             * Properties of a ConfigValidationRequest.
             * @typedef {Object} srp.v1.ConfigValidationRequest.$Properties
             * @property {Uint8Array|null} [configDigest] ConfigValidationRequest configDigest
             * @property {Object.<string,string>|null} [values] ConfigValidationRequest values
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConfigValidationRequest.
             * @memberof srp.v1
             * @interface IConfigValidationRequest
             * @augments srp.v1.ConfigValidationRequest.$Properties
             * @deprecated Use srp.v1.ConfigValidationRequest.$Properties instead.
             */

            /**
             * Shape of a ConfigValidationRequest.
             * @typedef {srp.v1.ConfigValidationRequest.$Properties} srp.v1.ConfigValidationRequest.$Shape
             */

            /**
             * Constructs a new ConfigValidationRequest.
             * @memberof srp.v1
             * @classdesc Represents a ConfigValidationRequest.
             * @constructor
             * @param {srp.v1.ConfigValidationRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConfigValidationRequest = function (properties) {
                this.values = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ConfigValidationRequest configDigest.
             * @member {Uint8Array} configDigest
             * @memberof srp.v1.ConfigValidationRequest
             * @instance
             */
            ConfigValidationRequest.prototype.configDigest = $util.newBuffer([]);

            /**
             * ConfigValidationRequest values.
             * @member {Object.<string,string>} values
             * @memberof srp.v1.ConfigValidationRequest
             * @instance
             */
            ConfigValidationRequest.prototype.values = $util.emptyObject;

            /**
             * Encodes the specified ConfigValidationRequest message. Does not implicitly {@link srp.v1.ConfigValidationRequest.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.ConfigValidationRequest
             * @static
             * @param {srp.v1.ConfigValidationRequest.$Properties} message ConfigValidationRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigValidationRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.configDigest != null && $Object.hasOwnProperty.call(message, "configDigest") && message.configDigest.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.configDigest);
                if (message.values != null && $Object.hasOwnProperty.call(message, "values"))
                    for (let keys = $Object.keys(message.values), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.values[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ConfigValidationRequest message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.ConfigValidationRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.ConfigValidationRequest & srp.v1.ConfigValidationRequest.$Shape} ConfigValidationRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigValidationRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.ConfigValidationRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.configDigest = value;
                            else
                                delete message.configDigest;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (message.values === $util.emptyObject)
                                message.values = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.values, key);
                            message.values[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ConfigValidationRequest;
        })();

        v1.ConfigValidationResponse = (function() {

            /**
             * Properties of a ConfigValidationResponse.
             * @typedef {Object} srp.v1.ConfigValidationResponse.$Properties
             * @property {boolean|null} [match] ConfigValidationResponse match
             * @property {Array.<string>|null} [differingKeys] ConfigValidationResponse differingKeys
             * @property {Uint8Array|null} [configDigest] ConfigValidationResponse configDigest
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ConfigValidationResponse.
             * @memberof srp.v1
             * @interface IConfigValidationResponse
             * @augments srp.v1.ConfigValidationResponse.$Properties
             * @deprecated Use srp.v1.ConfigValidationResponse.$Properties instead.
             */

            /**
             * Shape of a ConfigValidationResponse.
             * @typedef {srp.v1.ConfigValidationResponse.$Properties} srp.v1.ConfigValidationResponse.$Shape
             */

            /**
             * Constructs a new ConfigValidationResponse.
             * @memberof srp.v1
             * @classdesc Represents a ConfigValidationResponse.
             * @constructor
             * @param {srp.v1.ConfigValidationResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ConfigValidationResponse = function (properties) {
                this.differingKeys = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ConfigValidationResponse match.
             * @member {boolean} match
             * @memberof srp.v1.ConfigValidationResponse
             * @instance
             */
            ConfigValidationResponse.prototype.match = false;

            /**
             * ConfigValidationResponse differingKeys.
             * @member {Array.<string>} differingKeys
             * @memberof srp.v1.ConfigValidationResponse
             * @instance
             */
            ConfigValidationResponse.prototype.differingKeys = $util.emptyArray;

            /**
             * ConfigValidationResponse configDigest.
             * @member {Uint8Array} configDigest
             * @memberof srp.v1.ConfigValidationResponse
             * @instance
             */
            ConfigValidationResponse.prototype.configDigest = $util.newBuffer([]);

            /**
             * Encodes the specified ConfigValidationResponse message. Does not implicitly {@link srp.v1.ConfigValidationResponse.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.ConfigValidationResponse
             * @static
             * @param {srp.v1.ConfigValidationResponse.$Properties} message ConfigValidationResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigValidationResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.match != null && $Object.hasOwnProperty.call(message, "match") && message.match !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.match);
                if (message.differingKeys != null && message.differingKeys.length)
                    for (let i = 0; i < message.differingKeys.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.differingKeys[i]);
                if (message.configDigest != null && $Object.hasOwnProperty.call(message, "configDigest") && message.configDigest.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.configDigest);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ConfigValidationResponse message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.ConfigValidationResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.ConfigValidationResponse & srp.v1.ConfigValidationResponse.$Shape} ConfigValidationResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigValidationResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.ConfigValidationResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.match = value;
                            else
                                delete message.match;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.differingKeys && message.differingKeys.length))
                                message.differingKeys = [];
                            message.differingKeys.push(reader.stringVerify());
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.configDigest = value;
                            else
                                delete message.configDigest;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ConfigValidationResponse;
        })();

        v1.MicroCheckpoint = (function() {

            /**
             * Properties of a MicroCheckpoint.
             * @typedef {Object} srp.v1.MicroCheckpoint.$Properties
             * @property {number|null} [commandId] MicroCheckpoint commandId
             * @property {string|null} [sessionId] MicroCheckpoint sessionId
             * @property {number|Long|null} [version] MicroCheckpoint version
             * @property {Uint8Array|null} [payload] MicroCheckpoint payload
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MicroCheckpoint.
             * @memberof srp.v1
             * @interface IMicroCheckpoint
             * @augments srp.v1.MicroCheckpoint.$Properties
             * @deprecated Use srp.v1.MicroCheckpoint.$Properties instead.
             */

            /**
             * Shape of a MicroCheckpoint.
             * @typedef {srp.v1.MicroCheckpoint.$Properties} srp.v1.MicroCheckpoint.$Shape
             */

            /**
             * Constructs a new MicroCheckpoint.
             * @memberof srp.v1
             * @classdesc Represents a MicroCheckpoint.
             * @constructor
             * @param {srp.v1.MicroCheckpoint.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MicroCheckpoint = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MicroCheckpoint commandId.
             * @member {number} commandId
             * @memberof srp.v1.MicroCheckpoint
             * @instance
             */
            MicroCheckpoint.prototype.commandId = 0;

            /**
             * MicroCheckpoint sessionId.
             * @member {string} sessionId
             * @memberof srp.v1.MicroCheckpoint
             * @instance
             */
            MicroCheckpoint.prototype.sessionId = "";

            /**
             * MicroCheckpoint version.
             * @member {number|Long} version
             * @memberof srp.v1.MicroCheckpoint
             * @instance
             */
            MicroCheckpoint.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MicroCheckpoint payload.
             * @member {Uint8Array} payload
             * @memberof srp.v1.MicroCheckpoint
             * @instance
             */
            MicroCheckpoint.prototype.payload = $util.newBuffer([]);

            /**
             * Encodes the specified MicroCheckpoint message. Does not implicitly {@link srp.v1.MicroCheckpoint.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.MicroCheckpoint
             * @static
             * @param {srp.v1.MicroCheckpoint.$Properties} message MicroCheckpoint message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MicroCheckpoint.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.commandId != null && $Object.hasOwnProperty.call(message, "commandId") && message.commandId !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.commandId);
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.sessionId);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && (typeof message.version === "object" ? message.version.low || message.version.high : message.version !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.version);
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.payload);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MicroCheckpoint message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.MicroCheckpoint
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.MicroCheckpoint & srp.v1.MicroCheckpoint.$Shape} MicroCheckpoint
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MicroCheckpoint.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.MicroCheckpoint();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.commandId = value;
                            else
                                delete message.commandId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.payload = value;
                            else
                                delete message.payload;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MicroCheckpoint;
        })();

        v1.MicroCheckpointBatch = (function() {

            /**
             * Properties of a MicroCheckpointBatch.
             * @typedef {Object} srp.v1.MicroCheckpointBatch.$Properties
             * @property {number|Long|null} [batchSequence] MicroCheckpointBatch batchSequence
             * @property {Array.<srp.v1.MicroCheckpoint.$Properties>|null} [items] MicroCheckpointBatch items
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MicroCheckpointBatch.
             * @memberof srp.v1
             * @interface IMicroCheckpointBatch
             * @augments srp.v1.MicroCheckpointBatch.$Properties
             * @deprecated Use srp.v1.MicroCheckpointBatch.$Properties instead.
             */

            /**
             * Shape of a MicroCheckpointBatch.
             * @typedef {srp.v1.MicroCheckpointBatch.$Properties} srp.v1.MicroCheckpointBatch.$Shape
             */

            /**
             * Constructs a new MicroCheckpointBatch.
             * @memberof srp.v1
             * @classdesc Represents a MicroCheckpointBatch.
             * @constructor
             * @param {srp.v1.MicroCheckpointBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MicroCheckpointBatch = function (properties) {
                this.items = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MicroCheckpointBatch batchSequence.
             * @member {number|Long} batchSequence
             * @memberof srp.v1.MicroCheckpointBatch
             * @instance
             */
            MicroCheckpointBatch.prototype.batchSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MicroCheckpointBatch items.
             * @member {Array.<srp.v1.MicroCheckpoint.$Properties>} items
             * @memberof srp.v1.MicroCheckpointBatch
             * @instance
             */
            MicroCheckpointBatch.prototype.items = $util.emptyArray;

            /**
             * Encodes the specified MicroCheckpointBatch message. Does not implicitly {@link srp.v1.MicroCheckpointBatch.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.MicroCheckpointBatch
             * @static
             * @param {srp.v1.MicroCheckpointBatch.$Properties} message MicroCheckpointBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MicroCheckpointBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.batchSequence != null && $Object.hasOwnProperty.call(message, "batchSequence") && (typeof message.batchSequence === "object" ? message.batchSequence.low || message.batchSequence.high : message.batchSequence !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.batchSequence);
                if (message.items != null && message.items.length)
                    for (let i = 0; i < message.items.length; ++i)
                        $root.srp.v1.MicroCheckpoint.encode(message.items[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MicroCheckpointBatch message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.MicroCheckpointBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.MicroCheckpointBatch & srp.v1.MicroCheckpointBatch.$Shape} MicroCheckpointBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MicroCheckpointBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.MicroCheckpointBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.batchSequence = value;
                            else
                                delete message.batchSequence;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.items && message.items.length))
                                message.items = [];
                            message.items.push($root.srp.v1.MicroCheckpoint.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MicroCheckpointBatch;
        })();

        v1.SessionRecord = (function() {

            /**
             * Properties of a SessionRecord.
             * @typedef {Object} srp.v1.SessionRecord.$Properties
             * @property {string|null} [id] SessionRecord id
             * @property {number|null} [sessionClass] SessionRecord sessionClass
             * @property {number|Long|null} [createdAtMs] SessionRecord createdAtMs
             * @property {number|Long|null} [lifetimeMs] SessionRecord lifetimeMs
             * @property {number|Long|null} [expiresAtMs] SessionRecord expiresAtMs
             * @property {Object.<string,string>|null} [attrs] SessionRecord attrs
             * @property {Object.<string,number|Long>|null} [counters] SessionRecord counters
             * @property {number|Long|null} [version] SessionRecord version
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionRecord.
             * @memberof srp.v1
             * @interface ISessionRecord
             * @augments srp.v1.SessionRecord.$Properties
             * @deprecated Use srp.v1.SessionRecord.$Properties instead.
             */

            /**
             * Shape of a SessionRecord.
             * @typedef {srp.v1.SessionRecord.$Properties} srp.v1.SessionRecord.$Shape
             */

            /**
             * Constructs a new SessionRecord.
             * @memberof srp.v1
             * @classdesc Represents a SessionRecord.
             * @constructor
             * @param {srp.v1.SessionRecord.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionRecord = function (properties) {
                this.attrs = {};
                this.counters = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SessionRecord id.
             * @member {string} id
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.id = "";

            /**
             * SessionRecord sessionClass.
             * @member {number} sessionClass
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.sessionClass = 0;

            /**
             * SessionRecord createdAtMs.
             * @member {number|Long} createdAtMs
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.createdAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SessionRecord lifetimeMs.
             * @member {number|Long} lifetimeMs
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.lifetimeMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SessionRecord expiresAtMs.
             * @member {number|Long} expiresAtMs
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.expiresAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SessionRecord attrs.
             * @member {Object.<string,string>} attrs
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.attrs = $util.emptyObject;

            /**
             * SessionRecord counters.
             * @member {Object.<string,number|Long>} counters
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.counters = $util.emptyObject;

            /**
             * SessionRecord version.
             * @member {number|Long} version
             * @memberof srp.v1.SessionRecord
             * @instance
             */
            SessionRecord.prototype.version = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified SessionRecord message. Does not implicitly {@link srp.v1.SessionRecord.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.SessionRecord
             * @static
             * @param {srp.v1.SessionRecord.$Properties} message SessionRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionRecord.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.sessionClass != null && $Object.hasOwnProperty.call(message, "sessionClass") && message.sessionClass !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.sessionClass);
                if (message.createdAtMs != null && $Object.hasOwnProperty.call(message, "createdAtMs") && (typeof message.createdAtMs === "object" ? message.createdAtMs.low || message.createdAtMs.high : message.createdAtMs !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.createdAtMs);
                if (message.lifetimeMs != null && $Object.hasOwnProperty.call(message, "lifetimeMs") && (typeof message.lifetimeMs === "object" ? message.lifetimeMs.low || message.lifetimeMs.high : message.lifetimeMs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.lifetimeMs);
                if (message.expiresAtMs != null && $Object.hasOwnProperty.call(message, "expiresAtMs") && (typeof message.expiresAtMs === "object" ? message.expiresAtMs.low || message.expiresAtMs.high : message.expiresAtMs !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.expiresAtMs);
                if (message.attrs != null && $Object.hasOwnProperty.call(message, "attrs"))
                    for (let keys = $Object.keys(message.attrs), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.attrs[keys[i]]).ldelim();
                if (message.counters != null && $Object.hasOwnProperty.call(message, "counters"))
                    for (let keys = $Object.keys(message.counters), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.counters[keys[i]]).ldelim();
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && (typeof message.version === "object" ? message.version.low || message.version.high : message.version !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.version);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SessionRecord message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.SessionRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.SessionRecord & srp.v1.SessionRecord.$Shape} SessionRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionRecord.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.SessionRecord();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.sessionClass = value;
                            else
                                delete message.sessionClass;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.createdAtMs = value;
                            else
                                delete message.createdAtMs;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.lifetimeMs = value;
                            else
                                delete message.lifetimeMs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.expiresAtMs = value;
                            else
                                delete message.expiresAtMs;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (message.attrs === $util.emptyObject)
                                message.attrs = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.attrs, key);
                            message.attrs[key] = value;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (message.counters === $util.emptyObject)
                                message.counters = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 0)
                                        break;
                                    value = reader.uint64();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.counters, key);
                            message.counters[key] = value;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SessionRecord;
        })();

        v1.MacroCheckpointBegin = (function() {

            /**
             * Properties of a MacroCheckpointBegin.
             * @typedef {Object} srp.v1.MacroCheckpointBegin.$Properties
             * @property {number|Long|null} [snapshotId] MacroCheckpointBegin snapshotId
             * @property {number|Long|null} [sessionCount] MacroCheckpointBegin sessionCount
             * @property {string|null} [reason] MacroCheckpointBegin reason
             * @property {number|Long|null} [startedAtMs] MacroCheckpointBegin startedAtMs
             * @property {number|Long|null} [resumeAfterBatch] MacroCheckpointBegin resumeAfterBatch
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MacroCheckpointBegin.
             * @memberof srp.v1
             * @interface IMacroCheckpointBegin
             * @augments srp.v1.MacroCheckpointBegin.$Properties
             * @deprecated Use srp.v1.MacroCheckpointBegin.$Properties instead.
             */

            /**
             * Shape of a MacroCheckpointBegin.
             * @typedef {srp.v1.MacroCheckpointBegin.$Properties} srp.v1.MacroCheckpointBegin.$Shape
             */

            /**
             * Constructs a new MacroCheckpointBegin.
             * @memberof srp.v1
             * @classdesc Represents a MacroCheckpointBegin.
             * @constructor
             * @param {srp.v1.MacroCheckpointBegin.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MacroCheckpointBegin = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MacroCheckpointBegin snapshotId.
             * @member {number|Long} snapshotId
             * @memberof srp.v1.MacroCheckpointBegin
             * @instance
             */
            MacroCheckpointBegin.prototype.snapshotId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointBegin sessionCount.
             * @member {number|Long} sessionCount
             * @memberof srp.v1.MacroCheckpointBegin
             * @instance
             */
            MacroCheckpointBegin.prototype.sessionCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointBegin reason.
             * @member {string} reason
             * @memberof srp.v1.MacroCheckpointBegin
             * @instance
             */
            MacroCheckpointBegin.prototype.reason = "";

            /**
             * MacroCheckpointBegin startedAtMs.
             * @member {number|Long} startedAtMs
             * @memberof srp.v1.MacroCheckpointBegin
             * @instance
             */
            MacroCheckpointBegin.prototype.startedAtMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointBegin resumeAfterBatch.
             * @member {number|Long} resumeAfterBatch
             * @memberof srp.v1.MacroCheckpointBegin
             * @instance
             */
            MacroCheckpointBegin.prototype.resumeAfterBatch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified MacroCheckpointBegin message. Does not implicitly {@link srp.v1.MacroCheckpointBegin.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.MacroCheckpointBegin
             * @static
             * @param {srp.v1.MacroCheckpointBegin.$Properties} message MacroCheckpointBegin message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MacroCheckpointBegin.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.snapshotId != null && $Object.hasOwnProperty.call(message, "snapshotId") && (typeof message.snapshotId === "object" ? message.snapshotId.low || message.snapshotId.high : message.snapshotId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.snapshotId);
                if (message.sessionCount != null && $Object.hasOwnProperty.call(message, "sessionCount") && (typeof message.sessionCount === "object" ? message.sessionCount.low || message.sessionCount.high : message.sessionCount !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.sessionCount);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.reason);
                if (message.startedAtMs != null && $Object.hasOwnProperty.call(message, "startedAtMs") && (typeof message.startedAtMs === "object" ? message.startedAtMs.low || message.startedAtMs.high : message.startedAtMs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.startedAtMs);
                if (message.resumeAfterBatch != null && $Object.hasOwnProperty.call(message, "resumeAfterBatch") && (typeof message.resumeAfterBatch === "object" ? message.resumeAfterBatch.low || message.resumeAfterBatch.high : message.resumeAfterBatch !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.resumeAfterBatch);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MacroCheckpointBegin message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.MacroCheckpointBegin
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointBegin & srp.v1.MacroCheckpointBegin.$Shape} MacroCheckpointBegin
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MacroCheckpointBegin.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.MacroCheckpointBegin();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.snapshotId = value;
                            else
                                delete message.snapshotId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionCount = value;
                            else
                                delete message.sessionCount;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.startedAtMs = value;
                            else
                                delete message.startedAtMs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.resumeAfterBatch = value;
                            else
                                delete message.resumeAfterBatch;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MacroCheckpointBegin;
        })();

        v1.MacroCheckpointChunk = (function() {

            /**
             * Properties of a MacroCheckpointChunk.
             * @typedef {Object} srp.v1.MacroCheckpointChunk.$Properties
             * @property {number|Long|null} [snapshotId] MacroCheckpointChunk snapshotId
             * @property {number|Long|null} [chunkSequence] MacroCheckpointChunk chunkSequence
             * @property {Array.<srp.v1.SessionRecord.$Properties>|null} [sessions] MacroCheckpointChunk sessions
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MacroCheckpointChunk.
             * @memberof srp.v1
             * @interface IMacroCheckpointChunk
             * @augments srp.v1.MacroCheckpointChunk.$Properties
             * @deprecated Use srp.v1.MacroCheckpointChunk.$Properties instead.
             */

            /**
             * Shape of a MacroCheckpointChunk.
             * @typedef {srp.v1.MacroCheckpointChunk.$Properties} srp.v1.MacroCheckpointChunk.$Shape
             */

            /**
             * Constructs a new MacroCheckpointChunk.
             * @memberof srp.v1
             * @classdesc Represents a MacroCheckpointChunk.
             * @constructor
             * @param {srp.v1.MacroCheckpointChunk.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MacroCheckpointChunk = function (properties) {
                this.sessions = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MacroCheckpointChunk snapshotId.
             * @member {number|Long} snapshotId
             * @memberof srp.v1.MacroCheckpointChunk
             * @instance
             */
            MacroCheckpointChunk.prototype.snapshotId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointChunk chunkSequence.
             * @member {number|Long} chunkSequence
             * @memberof srp.v1.MacroCheckpointChunk
             * @instance
             */
            MacroCheckpointChunk.prototype.chunkSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointChunk sessions.
             * @member {Array.<srp.v1.SessionRecord.$Properties>} sessions
             * @memberof srp.v1.MacroCheckpointChunk
             * @instance
             */
            MacroCheckpointChunk.prototype.sessions = $util.emptyArray;

            /**
             * Encodes the specified MacroCheckpointChunk message. Does not implicitly {@link srp.v1.MacroCheckpointChunk.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.MacroCheckpointChunk
             * @static
             * @param {srp.v1.MacroCheckpointChunk.$Properties} message MacroCheckpointChunk message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MacroCheckpointChunk.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.snapshotId != null && $Object.hasOwnProperty.call(message, "snapshotId") && (typeof message.snapshotId === "object" ? message.snapshotId.low || message.snapshotId.high : message.snapshotId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.snapshotId);
                if (message.chunkSequence != null && $Object.hasOwnProperty.call(message, "chunkSequence") && (typeof message.chunkSequence === "object" ? message.chunkSequence.low || message.chunkSequence.high : message.chunkSequence !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.chunkSequence);
                if (message.sessions != null && message.sessions.length)
                    for (let i = 0; i < message.sessions.length; ++i)
                        $root.srp.v1.SessionRecord.encode(message.sessions[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MacroCheckpointChunk message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.MacroCheckpointChunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointChunk & srp.v1.MacroCheckpointChunk.$Shape} MacroCheckpointChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MacroCheckpointChunk.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.MacroCheckpointChunk();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.snapshotId = value;
                            else
                                delete message.snapshotId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.chunkSequence = value;
                            else
                                delete message.chunkSequence;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.sessions && message.sessions.length))
                                message.sessions = [];
                            message.sessions.push($root.srp.v1.SessionRecord.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MacroCheckpointChunk;
        })();

        v1.MacroCheckpointEnd = (function() {

            /**
             * Properties of a MacroCheckpointEnd.
             * @typedef {Object} srp.v1.MacroCheckpointEnd.$Properties
             * @property {number|Long|null} [snapshotId] MacroCheckpointEnd snapshotId
             * @property {number|Long|null} [chunkCount] MacroCheckpointEnd chunkCount
             * @property {number|Long|null} [sessionCount] MacroCheckpointEnd sessionCount
             * @property {Uint8Array|null} [digest] MacroCheckpointEnd digest
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MacroCheckpointEnd.
             * @memberof srp.v1
             * @interface IMacroCheckpointEnd
             * @augments srp.v1.MacroCheckpointEnd.$Properties
             * @deprecated Use srp.v1.MacroCheckpointEnd.$Properties instead.
             */

            /**
             * Shape of a MacroCheckpointEnd.
             * @typedef {srp.v1.MacroCheckpointEnd.$Properties} srp.v1.MacroCheckpointEnd.$Shape
             */

            /**
             * Constructs a new MacroCheckpointEnd.
             * @memberof srp.v1
             * @classdesc Represents a MacroCheckpointEnd.
             * @constructor
             * @param {srp.v1.MacroCheckpointEnd.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MacroCheckpointEnd = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MacroCheckpointEnd snapshotId.
             * @member {number|Long} snapshotId
             * @memberof srp.v1.MacroCheckpointEnd
             * @instance
             */
            MacroCheckpointEnd.prototype.snapshotId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointEnd chunkCount.
             * @member {number|Long} chunkCount
             * @memberof srp.v1.MacroCheckpointEnd
             * @instance
             */
            MacroCheckpointEnd.prototype.chunkCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointEnd sessionCount.
             * @member {number|Long} sessionCount
             * @memberof srp.v1.MacroCheckpointEnd
             * @instance
             */
            MacroCheckpointEnd.prototype.sessionCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * MacroCheckpointEnd digest.
             * @member {Uint8Array} digest
             * @memberof srp.v1.MacroCheckpointEnd
             * @instance
             */
            MacroCheckpointEnd.prototype.digest = $util.newBuffer([]);

            /**
             * Encodes the specified MacroCheckpointEnd message. Does not implicitly {@link srp.v1.MacroCheckpointEnd.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.MacroCheckpointEnd
             * @static
             * @param {srp.v1.MacroCheckpointEnd.$Properties} message MacroCheckpointEnd message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MacroCheckpointEnd.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.snapshotId != null && $Object.hasOwnProperty.call(message, "snapshotId") && (typeof message.snapshotId === "object" ? message.snapshotId.low || message.snapshotId.high : message.snapshotId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.snapshotId);
                if (message.chunkCount != null && $Object.hasOwnProperty.call(message, "chunkCount") && (typeof message.chunkCount === "object" ? message.chunkCount.low || message.chunkCount.high : message.chunkCount !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.chunkCount);
                if (message.sessionCount != null && $Object.hasOwnProperty.call(message, "sessionCount") && (typeof message.sessionCount === "object" ? message.sessionCount.low || message.sessionCount.high : message.sessionCount !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.sessionCount);
                if (message.digest != null && $Object.hasOwnProperty.call(message, "digest") && message.digest.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.digest);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MacroCheckpointEnd message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.MacroCheckpointEnd
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.MacroCheckpointEnd & srp.v1.MacroCheckpointEnd.$Shape} MacroCheckpointEnd
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MacroCheckpointEnd.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.MacroCheckpointEnd();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.snapshotId = value;
                            else
                                delete message.snapshotId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.chunkCount = value;
                            else
                                delete message.chunkCount;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionCount = value;
                            else
                                delete message.sessionCount;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.digest = value;
                            else
                                delete message.digest;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MacroCheckpointEnd;
        })();

        v1.CheckpointAck = (function() {

            /**
             * Properties of a CheckpointAck.
             * @typedef {Object} srp.v1.CheckpointAck.$Properties
             * @property {number|Long|null} [upToSequence] CheckpointAck upToSequence
             * @property {number|Long|null} [snapshotId] CheckpointAck snapshotId
             * @property {number|Long|null} [failedItems] CheckpointAck failedItems
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CheckpointAck.
             * @memberof srp.v1
             * @interface ICheckpointAck
             * @augments srp.v1.CheckpointAck.$Properties
             * @deprecated Use srp.v1.CheckpointAck.$Properties instead.
             */

            /**
             * Shape of a CheckpointAck.
             * @typedef {srp.v1.CheckpointAck.$Properties} srp.v1.CheckpointAck.$Shape
             */

            /**
             * Constructs a new CheckpointAck.
             * @memberof srp.v1
             * @classdesc Represents a CheckpointAck.
             * @constructor
             * @param {srp.v1.CheckpointAck.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CheckpointAck = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CheckpointAck upToSequence.
             * @member {number|Long} upToSequence
             * @memberof srp.v1.CheckpointAck
             * @instance
             */
            CheckpointAck.prototype.upToSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * CheckpointAck snapshotId.
             * @member {number|Long} snapshotId
             * @memberof srp.v1.CheckpointAck
             * @instance
             */
            CheckpointAck.prototype.snapshotId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * CheckpointAck failedItems.
             * @member {number|Long} failedItems
             * @memberof srp.v1.CheckpointAck
             * @instance
             */
            CheckpointAck.prototype.failedItems = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified CheckpointAck message. Does not implicitly {@link srp.v1.CheckpointAck.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.CheckpointAck
             * @static
             * @param {srp.v1.CheckpointAck.$Properties} message CheckpointAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CheckpointAck.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.upToSequence != null && $Object.hasOwnProperty.call(message, "upToSequence") && (typeof message.upToSequence === "object" ? message.upToSequence.low || message.upToSequence.high : message.upToSequence !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.upToSequence);
                if (message.snapshotId != null && $Object.hasOwnProperty.call(message, "snapshotId") && (typeof message.snapshotId === "object" ? message.snapshotId.low || message.snapshotId.high : message.snapshotId !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.snapshotId);
                if (message.failedItems != null && $Object.hasOwnProperty.call(message, "failedItems") && (typeof message.failedItems === "object" ? message.failedItems.low || message.failedItems.high : message.failedItems !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.failedItems);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CheckpointAck message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.CheckpointAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.CheckpointAck & srp.v1.CheckpointAck.$Shape} CheckpointAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CheckpointAck.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.CheckpointAck();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.upToSequence = value;
                            else
                                delete message.upToSequence;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.snapshotId = value;
                            else
                                delete message.snapshotId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.failedItems = value;
                            else
                                delete message.failedItems;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return CheckpointAck;
        })();

        /**
         * NackKind enum.
         * @name srp.v1.NackKind
         * @enum {number}
         * @property {number} NACK_KIND_UNSPECIFIED=0 NACK_KIND_UNSPECIFIED value
         * @property {number} NACK_KIND_MICRO=1 NACK_KIND_MICRO value
         * @property {number} NACK_KIND_MACRO=2 NACK_KIND_MACRO value
         */
        v1.NackKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "NACK_KIND_UNSPECIFIED"] = 0;
            values[valuesById[1] = "NACK_KIND_MICRO"] = 1;
            values[valuesById[2] = "NACK_KIND_MACRO"] = 2;
            return values;
        })();

        v1.Nack = (function() {

            /**
             * Properties of a Nack.
             * @typedef {Object} srp.v1.Nack.$Properties
             * @property {srp.v1.NackKind|null} [kind] Nack kind
             * @property {number|null} [commandId] Nack commandId
             * @property {string|null} [sessionId] Nack sessionId
             * @property {string|null} [reason] Nack reason
             * @property {number|Long|null} [sequence] Nack sequence
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Nack.
             * @memberof srp.v1
             * @interface INack
             * @augments srp.v1.Nack.$Properties
             * @deprecated Use srp.v1.Nack.$Properties instead.
             */

            /**
             * Shape of a Nack.
             * @typedef {srp.v1.Nack.$Properties} srp.v1.Nack.$Shape
             */

            /**
             * Constructs a new Nack.
             * @memberof srp.v1
             * @classdesc Represents a Nack.
             * @constructor
             * @param {srp.v1.Nack.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Nack = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Nack kind.
             * @member {srp.v1.NackKind} kind
             * @memberof srp.v1.Nack
             * @instance
             */
            Nack.prototype.kind = 0;

            /**
             * Nack commandId.
             * @member {number} commandId
             * @memberof srp.v1.Nack
             * @instance
             */
            Nack.prototype.commandId = 0;

            /**
             * Nack sessionId.
             * @member {string} sessionId
             * @memberof srp.v1.Nack
             * @instance
             */
            Nack.prototype.sessionId = "";

            /**
             * Nack reason.
             * @member {string} reason
             * @memberof srp.v1.Nack
             * @instance
             */
            Nack.prototype.reason = "";

            /**
             * Nack sequence.
             * @member {number|Long} sequence
             * @memberof srp.v1.Nack
             * @instance
             */
            Nack.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified Nack message. Does not implicitly {@link srp.v1.Nack.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.Nack
             * @static
             * @param {srp.v1.Nack.$Properties} message Nack message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Nack.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
                if (message.commandId != null && $Object.hasOwnProperty.call(message, "commandId") && message.commandId !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.commandId);
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.sessionId);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.reason);
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence") && (typeof message.sequence === "object" ? message.sequence.low || message.sequence.high : message.sequence !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.sequence);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Nack message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.Nack
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.Nack & srp.v1.Nack.$Shape} Nack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Nack.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.Nack();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.commandId = value;
                            else
                                delete message.commandId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sequence = value;
                            else
                                delete message.sequence;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Nack;
        })();

        v1.SwitchoverRequest = (function() {

            /**
             * Properties of a SwitchoverRequest.
             * @typedef {Object} srp.v1.SwitchoverRequest.$Properties
             * @property {boolean|null} [force] SwitchoverRequest force
             * @property {string|null} [reason] SwitchoverRequest reason
             * @property {number|Long|null} [requestId] SwitchoverRequest requestId
             * @property {number|Long|null} [flushedUpTo] SwitchoverRequest flushedUpTo
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SwitchoverRequest.
             * @memberof srp.v1
             * @interface ISwitchoverRequest
             * @augments srp.v1.SwitchoverRequest.$Properties
             * @deprecated Use srp.v1.SwitchoverRequest.$Properties instead.
             */

            /**
             * Shape of a SwitchoverRequest.
             * @typedef {srp.v1.SwitchoverRequest.$Properties} srp.v1.SwitchoverRequest.$Shape
             */

            /**
             * Constructs a new SwitchoverRequest.
             * @memberof srp.v1
             * @classdesc Represents a SwitchoverRequest.
             * @constructor
             * @param {srp.v1.SwitchoverRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SwitchoverRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SwitchoverRequest force.
             * @member {boolean} force
             * @memberof srp.v1.SwitchoverRequest
             * @instance
             */
            SwitchoverRequest.prototype.force = false;

            /**
             * SwitchoverRequest reason.
             * @member {string} reason
             * @memberof srp.v1.SwitchoverRequest
             * @instance
             */
            SwitchoverRequest.prototype.reason = "";

            /**
             * SwitchoverRequest requestId.
             * @member {number|Long} requestId
             * @memberof srp.v1.SwitchoverRequest
             * @instance
             */
            SwitchoverRequest.prototype.requestId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SwitchoverRequest flushedUpTo.
             * @member {number|Long} flushedUpTo
             * @memberof srp.v1.SwitchoverRequest
             * @instance
             */
            SwitchoverRequest.prototype.flushedUpTo = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified SwitchoverRequest message. Does not implicitly {@link srp.v1.SwitchoverRequest.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.SwitchoverRequest
             * @static
             * @param {srp.v1.SwitchoverRequest.$Properties} message SwitchoverRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SwitchoverRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.force != null && $Object.hasOwnProperty.call(message, "force") && message.force !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.force);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.reason);
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId") && (typeof message.requestId === "object" ? message.requestId.low || message.requestId.high : message.requestId !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.requestId);
                if (message.flushedUpTo != null && $Object.hasOwnProperty.call(message, "flushedUpTo") && (typeof message.flushedUpTo === "object" ? message.flushedUpTo.low || message.flushedUpTo.high : message.flushedUpTo !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.flushedUpTo);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SwitchoverRequest message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.SwitchoverRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.SwitchoverRequest & srp.v1.SwitchoverRequest.$Shape} SwitchoverRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SwitchoverRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.SwitchoverRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.force = value;
                            else
                                delete message.force;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.requestId = value;
                            else
                                delete message.requestId;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.flushedUpTo = value;
                            else
                                delete message.flushedUpTo;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SwitchoverRequest;
        })();

        v1.SwitchoverResponse = (function() {

            /**
             * Properties of a SwitchoverResponse.
             * @typedef {Object} srp.v1.SwitchoverResponse.$Properties
             * @property {number|Long|null} [requestId] SwitchoverResponse requestId
             * @property {boolean|null} [accepted] SwitchoverResponse accepted
             * @property {Array.<string>|null} [refusalReasons] SwitchoverResponse refusalReasons
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SwitchoverResponse.
             * @memberof srp.v1
             * @interface ISwitchoverResponse
             * @augments srp.v1.SwitchoverResponse.$Properties
             * @deprecated Use srp.v1.SwitchoverResponse.$Properties instead.
             */

            /**
             * Shape of a SwitchoverResponse.
             * @typedef {srp.v1.SwitchoverResponse.$Properties} srp.v1.SwitchoverResponse.$Shape
             */

            /**
             * Constructs a new SwitchoverResponse.
             * @memberof srp.v1
             * @classdesc Represents a SwitchoverResponse.
             * @constructor
             * @param {srp.v1.SwitchoverResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SwitchoverResponse = function (properties) {
                this.refusalReasons = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SwitchoverResponse requestId.
             * @member {number|Long} requestId
             * @memberof srp.v1.SwitchoverResponse
             * @instance
             */
            SwitchoverResponse.prototype.requestId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SwitchoverResponse accepted.
             * @member {boolean} accepted
             * @memberof srp.v1.SwitchoverResponse
             * @instance
             */
            SwitchoverResponse.prototype.accepted = false;

            /**
             * SwitchoverResponse refusalReasons.
             * @member {Array.<string>} refusalReasons
             * @memberof srp.v1.SwitchoverResponse
             * @instance
             */
            SwitchoverResponse.prototype.refusalReasons = $util.emptyArray;

            /**
             * Encodes the specified SwitchoverResponse message. Does not implicitly {@link srp.v1.SwitchoverResponse.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.SwitchoverResponse
             * @static
             * @param {srp.v1.SwitchoverResponse.$Properties} message SwitchoverResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SwitchoverResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId") && (typeof message.requestId === "object" ? message.requestId.low || message.requestId.high : message.requestId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.requestId);
                if (message.accepted != null && $Object.hasOwnProperty.call(message, "accepted") && message.accepted !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.accepted);
                if (message.refusalReasons != null && message.refusalReasons.length)
                    for (let i = 0; i < message.refusalReasons.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.refusalReasons[i]);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SwitchoverResponse message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.SwitchoverResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.SwitchoverResponse & srp.v1.SwitchoverResponse.$Shape} SwitchoverResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SwitchoverResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.SwitchoverResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.requestId = value;
                            else
                                delete message.requestId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.accepted = value;
                            else
                                delete message.accepted;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.refusalReasons && message.refusalReasons.length))
                                message.refusalReasons = [];
                            message.refusalReasons.push(reader.stringVerify());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SwitchoverResponse;
        })();

        v1.AuditRequest = (function() {

            /**
             * Properties of an AuditRequest.
             * @typedef {Object} srp.v1.AuditRequest.$Properties
             * @property {number|Long|null} [auditId] AuditRequest auditId
             * @property {number|null} [bucketCount] AuditRequest bucketCount
             * @property {boolean|null} [withSync] AuditRequest withSync
             * @property {string|null} [trigger] AuditRequest trigger
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AuditRequest.
             * @memberof srp.v1
             * @interface IAuditRequest
             * @augments srp.v1.AuditRequest.$Properties
             * @deprecated Use srp.v1.AuditRequest.$Properties instead.
             */

            /**
             * Shape of an AuditRequest.
             * @typedef {srp.v1.AuditRequest.$Properties} srp.v1.AuditRequest.$Shape
             */

            /**
             * Constructs a new AuditRequest.
             * @memberof srp.v1
             * @classdesc Represents an AuditRequest.
             * @constructor
             * @param {srp.v1.AuditRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AuditRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AuditRequest auditId.
             * @member {number|Long} auditId
             * @memberof srp.v1.AuditRequest
             * @instance
             */
            AuditRequest.prototype.auditId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AuditRequest bucketCount.
             * @member {number} bucketCount
             * @memberof srp.v1.AuditRequest
             * @instance
             */
            AuditRequest.prototype.bucketCount = 0;

            /**
             * AuditRequest withSync.
             * @member {boolean} withSync
             * @memberof srp.v1.AuditRequest
             * @instance
             */
            AuditRequest.prototype.withSync = false;

            /**
             * AuditRequest trigger.
             * @member {string} trigger
             * @memberof srp.v1.AuditRequest
             * @instance
             */
            AuditRequest.prototype.trigger = "";

            /**
             * Encodes the specified AuditRequest message. Does not implicitly {@link srp.v1.AuditRequest.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.AuditRequest
             * @static
             * @param {srp.v1.AuditRequest.$Properties} message AuditRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AuditRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.auditId != null && $Object.hasOwnProperty.call(message, "auditId") && (typeof message.auditId === "object" ? message.auditId.low || message.auditId.high : message.auditId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.auditId);
                if (message.bucketCount != null && $Object.hasOwnProperty.call(message, "bucketCount") && message.bucketCount !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.bucketCount);
                if (message.withSync != null && $Object.hasOwnProperty.call(message, "withSync") && message.withSync !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.withSync);
                if (message.trigger != null && $Object.hasOwnProperty.call(message, "trigger") && message.trigger !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.trigger);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AuditRequest message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.AuditRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.AuditRequest & srp.v1.AuditRequest.$Shape} AuditRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AuditRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.AuditRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.auditId = value;
                            else
                                delete message.auditId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.bucketCount = value;
                            else
                                delete message.bucketCount;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.withSync = value;
                            else
                                delete message.withSync;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.trigger = value;
                            else
                                delete message.trigger;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AuditRequest;
        })();

        v1.BucketDigest = (function() {

            /**
             * Properties of a BucketDigest.
             * @typedef {Object} srp.v1.BucketDigest.$Properties
             * @property {number|null} [bucket] BucketDigest bucket
             * @property {Uint8Array|null} [digest] BucketDigest digest
             * @property {number|Long|null} [sessionCount] BucketDigest sessionCount
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BucketDigest.
             * @memberof srp.v1
             * @interface IBucketDigest
             * @augments srp.v1.BucketDigest.$Properties
             * @deprecated Use srp.v1.BucketDigest.$Properties instead.
             */

            /**
             * Shape of a BucketDigest.
             * @typedef {srp.v1.BucketDigest.$Properties} srp.v1.BucketDigest.$Shape
             */

            /**
             * Constructs a new BucketDigest.
             * @memberof srp.v1
             * @classdesc Represents a BucketDigest.
             * @constructor
             * @param {srp.v1.BucketDigest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BucketDigest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * BucketDigest bucket.
             * @member {number} bucket
             * @memberof srp.v1.BucketDigest
             * @instance
             */
            BucketDigest.prototype.bucket = 0;

            /**
             * BucketDigest digest.
             * @member {Uint8Array} digest
             * @memberof srp.v1.BucketDigest
             * @instance
             */
            BucketDigest.prototype.digest = $util.newBuffer([]);

            /**
             * BucketDigest sessionCount.
             * @member {number|Long} sessionCount
             * @memberof srp.v1.BucketDigest
             * @instance
             */
            BucketDigest.prototype.sessionCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Encodes the specified BucketDigest message. Does not implicitly {@link srp.v1.BucketDigest.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.BucketDigest
             * @static
             * @param {srp.v1.BucketDigest.$Properties} message BucketDigest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BucketDigest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.bucket != null && $Object.hasOwnProperty.call(message, "bucket") && message.bucket !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.bucket);
                if (message.digest != null && $Object.hasOwnProperty.call(message, "digest") && message.digest.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.digest);
                if (message.sessionCount != null && $Object.hasOwnProperty.call(message, "sessionCount") && (typeof message.sessionCount === "object" ? message.sessionCount.low || message.sessionCount.high : message.sessionCount !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.sessionCount);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a BucketDigest message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.BucketDigest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.BucketDigest & srp.v1.BucketDigest.$Shape} BucketDigest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BucketDigest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.BucketDigest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.bucket = value;
                            else
                                delete message.bucket;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.digest = value;
                            else
                                delete message.digest;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionCount = value;
                            else
                                delete message.sessionCount;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return BucketDigest;
        })();

        v1.AuditBucketDigests = (function() {

            /**
             * Properties of an AuditBucketDigests.
             * @typedef {Object} srp.v1.AuditBucketDigests.$Properties
             * @property {number|Long|null} [auditId] AuditBucketDigests auditId
             * @property {Array.<srp.v1.BucketDigest.$Properties>|null} [buckets] AuditBucketDigests buckets
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AuditBucketDigests.
             * @memberof srp.v1
             * @interface IAuditBucketDigests
             * @augments srp.v1.AuditBucketDigests.$Properties
             * @deprecated Use srp.v1.AuditBucketDigests.$Properties instead.
             */

            /**
             * Shape of an AuditBucketDigests.
             * @typedef {srp.v1.AuditBucketDigests.$Properties} srp.v1.AuditBucketDigests.$Shape
             */

            /**
             * Constructs a new AuditBucketDigests.
             * @memberof srp.v1
             * @classdesc Represents an AuditBucketDigests.
             * @constructor
             * @param {srp.v1.AuditBucketDigests.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AuditBucketDigests = function (properties) {
                this.buckets = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AuditBucketDigests auditId.
             * @member {number|Long} auditId
             * @memberof srp.v1.AuditBucketDigests
             * @instance
             */
            AuditBucketDigests.prototype.auditId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AuditBucketDigests buckets.
             * @member {Array.<srp.v1.BucketDigest.$Properties>} buckets
             * @memberof srp.v1.AuditBucketDigests
             * @instance
             */
            AuditBucketDigests.prototype.buckets = $util.emptyArray;

            /**
             * Encodes the specified AuditBucketDigests message. Does not implicitly {@link srp.v1.AuditBucketDigests.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.AuditBucketDigests
             * @static
             * @param {srp.v1.AuditBucketDigests.$Properties} message AuditBucketDigests message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AuditBucketDigests.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.auditId != null && $Object.hasOwnProperty.call(message, "auditId") && (typeof message.auditId === "object" ? message.auditId.low || message.auditId.high : message.auditId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.auditId);
                if (message.buckets != null && message.buckets.length)
                    for (let i = 0; i < message.buckets.length; ++i)
                        $root.srp.v1.BucketDigest.encode(message.buckets[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AuditBucketDigests message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.AuditBucketDigests
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.AuditBucketDigests & srp.v1.AuditBucketDigests.$Shape} AuditBucketDigests
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AuditBucketDigests.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.AuditBucketDigests();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.auditId = value;
                            else
                                delete message.auditId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.buckets && message.buckets.length))
                                message.buckets = [];
                            message.buckets.push($root.srp.v1.BucketDigest.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AuditBucketDigests;
        })();

        v1.AuditReport = (function() {

            /**
             * Properties of an AuditReport.
             * @typedef {Object} srp.v1.AuditReport.$Properties
             * @property {number|Long|null} [auditId] AuditReport auditId
             * @property {Array.<number>|null} [differingBuckets] AuditReport differingBuckets
             * @property {number|Long|null} [sessionsCompared] AuditReport sessionsCompared
             * @property {number|Long|null} [sessionsResynced] AuditReport sessionsResynced
             * @property {boolean|null} [withSync] AuditReport withSync
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AuditReport.
             * @memberof srp.v1
             * @interface IAuditReport
             * @augments srp.v1.AuditReport.$Properties
             * @deprecated Use srp.v1.AuditReport.$Properties instead.
             */

            /**
             * Shape of an AuditReport.
             * @typedef {srp.v1.AuditReport.$Properties} srp.v1.AuditReport.$Shape
             */

            /**
             * Constructs a new AuditReport.
             * @memberof srp.v1
             * @classdesc Represents an AuditReport.
             * @constructor
             * @param {srp.v1.AuditReport.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AuditReport = function (properties) {
                this.differingBuckets = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AuditReport auditId.
             * @member {number|Long} auditId
             * @memberof srp.v1.AuditReport
             * @instance
             */
            AuditReport.prototype.auditId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AuditReport differingBuckets.
             * @member {Array.<number>} differingBuckets
             * @memberof srp.v1.AuditReport
             * @instance
             */
            AuditReport.prototype.differingBuckets = $util.emptyArray;

            /**
             * AuditReport sessionsCompared.
             * @member {number|Long} sessionsCompared
             * @memberof srp.v1.AuditReport
             * @instance
             */
            AuditReport.prototype.sessionsCompared = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AuditReport sessionsResynced.
             * @member {number|Long} sessionsResynced
             * @memberof srp.v1.AuditReport
             * @instance
             */
            AuditReport.prototype.sessionsResynced = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AuditReport withSync.
             * @member {boolean} withSync
             * @memberof srp.v1.AuditReport
             * @instance
             */
            AuditReport.prototype.withSync = false;

            /**
             * Encodes the specified AuditReport message. Does not implicitly {@link srp.v1.AuditReport.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.AuditReport
             * @static
             * @param {srp.v1.AuditReport.$Properties} message AuditReport message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AuditReport.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.auditId != null && $Object.hasOwnProperty.call(message, "auditId") && (typeof message.auditId === "object" ? message.auditId.low || message.auditId.high : message.auditId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.auditId);
                if (message.differingBuckets != null && message.differingBuckets.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).uint32s(message.differingBuckets);
                if (message.sessionsCompared != null && $Object.hasOwnProperty.call(message, "sessionsCompared") && (typeof message.sessionsCompared === "object" ? message.sessionsCompared.low || message.sessionsCompared.high : message.sessionsCompared !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.sessionsCompared);
                if (message.sessionsResynced != null && $Object.hasOwnProperty.call(message, "sessionsResynced") && (typeof message.sessionsResynced === "object" ? message.sessionsResynced.low || message.sessionsResynced.high : message.sessionsResynced !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.sessionsResynced);
                if (message.withSync != null && $Object.hasOwnProperty.call(message, "withSync") && message.withSync !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.withSync);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AuditReport message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.AuditReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.AuditReport & srp.v1.AuditReport.$Shape} AuditReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AuditReport.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.AuditReport();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.auditId = value;
                            else
                                delete message.auditId;
                            continue;
                        }
                    case 2: {
                            if (wireType === 2) {
                                if (!(message.differingBuckets && message.differingBuckets.length))
                                    message.differingBuckets = [];
                                reader.uint32s(message.differingBuckets);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.differingBuckets && message.differingBuckets.length))
                                message.differingBuckets = [];
                            message.differingBuckets.push(reader.uint32());
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionsCompared = value;
                            else
                                delete message.sessionsCompared;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sessionsResynced = value;
                            else
                                delete message.sessionsResynced;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.withSync = value;
                            else
                                delete message.withSync;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AuditReport;
        })();

        v1.Goodbye = (function() {

            /**
             * Properties of a Goodbye.
             * @typedef {Object} srp.v1.Goodbye.$Properties
             * @property {string|null} [reason] Goodbye reason
             * @property {boolean|null} [takeoverNow] Goodbye takeoverNow
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Goodbye.
             * @memberof srp.v1
             * @interface IGoodbye
             * @augments srp.v1.Goodbye.$Properties
             * @deprecated Use srp.v1.Goodbye.$Properties instead.
             */

            /**
             * Shape of a Goodbye.
             * @typedef {srp.v1.Goodbye.$Properties} srp.v1.Goodbye.$Shape
             */

            /**
             * Constructs a new Goodbye.
             * @memberof srp.v1
             * @classdesc Represents a Goodbye.
             * @constructor
             * @param {srp.v1.Goodbye.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Goodbye = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Goodbye reason.
             * @member {string} reason
             * @memberof srp.v1.Goodbye
             * @instance
             */
            Goodbye.prototype.reason = "";

            /**
             * Goodbye takeoverNow.
             * @member {boolean} takeoverNow
             * @memberof srp.v1.Goodbye
             * @instance
             */
            Goodbye.prototype.takeoverNow = false;

            /**
             * Encodes the specified Goodbye message. Does not implicitly {@link srp.v1.Goodbye.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.Goodbye
             * @static
             * @param {srp.v1.Goodbye.$Properties} message Goodbye message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Goodbye.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                if (message.takeoverNow != null && $Object.hasOwnProperty.call(message, "takeoverNow") && message.takeoverNow !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.takeoverNow);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Goodbye message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.Goodbye
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.Goodbye & srp.v1.Goodbye.$Shape} Goodbye
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Goodbye.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.Goodbye();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.takeoverNow = value;
                            else
                                delete message.takeoverNow;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Goodbye;
        })();

        v1.SplitHandoff = (function() {

            /**
             * Properties of a SplitHandoff.
             * @typedef {Object} srp.v1.SplitHandoff.$Properties
             * @property {number|Long|null} [handoffId] SplitHandoff handoffId
             * @property {number|Long|null} [epoch] SplitHandoff epoch
             * @property {number|Long|null} [chunkSequence] SplitHandoff chunkSequence
             * @property {boolean|null} [last] SplitHandoff last
             * @property {Array.<srp.v1.SessionRecord.$Properties>|null} [sessions] SplitHandoff sessions
             * @property {Array.<string>|null} [deletedIds] SplitHandoff deletedIds
             * @property {Array.<number|Long>|null} [deletedVersions] SplitHandoff deletedVersions
             * @property {Array.<srp.v1.AttrTimes.$Properties>|null} [attrTimes] SplitHandoff attrTimes
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SplitHandoff.
             * @memberof srp.v1
             * @interface ISplitHandoff
             * @augments srp.v1.SplitHandoff.$Properties
             * @deprecated Use srp.v1.SplitHandoff.$Properties instead.
             */

            /**
             * Shape of a SplitHandoff.
             * @typedef {srp.v1.SplitHandoff.$Properties} srp.v1.SplitHandoff.$Shape
             */

            /**
             * Constructs a new SplitHandoff.
             * @memberof srp.v1
             * @classdesc Represents a SplitHandoff.
             * @constructor
             * @param {srp.v1.SplitHandoff.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SplitHandoff = function (properties) {
                this.sessions = [];
                this.deletedIds = [];
                this.deletedVersions = [];
                this.attrTimes = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SplitHandoff handoffId.
             * @member {number|Long} handoffId
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.handoffId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoff epoch.
             * @member {number|Long} epoch
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoff chunkSequence.
             * @member {number|Long} chunkSequence
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.chunkSequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoff last.
             * @member {boolean} last
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.last = false;

            /**
             * SplitHandoff sessions.
             * @member {Array.<srp.v1.SessionRecord.$Properties>} sessions
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.sessions = $util.emptyArray;

            /**
             * SplitHandoff deletedIds.
             * @member {Array.<string>} deletedIds
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.deletedIds = $util.emptyArray;

            /**
             * SplitHandoff deletedVersions.
             * @member {Array.<number|Long>} deletedVersions
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.deletedVersions = $util.emptyArray;

            /**
             * SplitHandoff attrTimes.
             * @member {Array.<srp.v1.AttrTimes.$Properties>} attrTimes
             * @memberof srp.v1.SplitHandoff
             * @instance
             */
            SplitHandoff.prototype.attrTimes = $util.emptyArray;

            /**
             * Encodes the specified SplitHandoff message. Does not implicitly {@link srp.v1.SplitHandoff.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.SplitHandoff
             * @static
             * @param {srp.v1.SplitHandoff.$Properties} message SplitHandoff message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SplitHandoff.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.handoffId != null && $Object.hasOwnProperty.call(message, "handoffId") && (typeof message.handoffId === "object" ? message.handoffId.low || message.handoffId.high : message.handoffId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.handoffId);
                if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && (typeof message.epoch === "object" ? message.epoch.low || message.epoch.high : message.epoch !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.epoch);
                if (message.chunkSequence != null && $Object.hasOwnProperty.call(message, "chunkSequence") && (typeof message.chunkSequence === "object" ? message.chunkSequence.low || message.chunkSequence.high : message.chunkSequence !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.chunkSequence);
                if (message.last != null && $Object.hasOwnProperty.call(message, "last") && message.last !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.last);
                if (message.sessions != null && message.sessions.length)
                    for (let i = 0; i < message.sessions.length; ++i)
                        $root.srp.v1.SessionRecord.encode(message.sessions[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.deletedIds != null && message.deletedIds.length)
                    for (let i = 0; i < message.deletedIds.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.deletedIds[i]);
                if (message.deletedVersions != null && message.deletedVersions.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).uint64s(message.deletedVersions);
                if (message.attrTimes != null && message.attrTimes.length)
                    for (let i = 0; i < message.attrTimes.length; ++i)
                        $root.srp.v1.AttrTimes.encode(message.attrTimes[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SplitHandoff message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.SplitHandoff
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.SplitHandoff & srp.v1.SplitHandoff.$Shape} SplitHandoff
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SplitHandoff.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.SplitHandoff();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.handoffId = value;
                            else
                                delete message.handoffId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.epoch = value;
                            else
                                delete message.epoch;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.chunkSequence = value;
                            else
                                delete message.chunkSequence;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.last = value;
                            else
                                delete message.last;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (!(message.sessions && message.sessions.length))
                                message.sessions = [];
                            message.sessions.push($root.srp.v1.SessionRecord.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (!(message.deletedIds && message.deletedIds.length))
                                message.deletedIds = [];
                            message.deletedIds.push(reader.stringVerify());
                            continue;
                        }
                    case 7: {
                            if (wireType === 2) {
                                if (!(message.deletedVersions && message.deletedVersions.length))
                                    message.deletedVersions = [];
                                reader.uint64s(message.deletedVersions);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.deletedVersions && message.deletedVersions.length))
                                message.deletedVersions = [];
                            message.deletedVersions.push(reader.uint64());
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if (!(message.attrTimes && message.attrTimes.length))
                                message.attrTimes = [];
                            message.attrTimes.push($root.srp.v1.AttrTimes.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SplitHandoff;
        })();

        v1.AttrTimes = (function() {

            /**
             * Properties of an AttrTimes.
             * @typedef {Object} srp.v1.AttrTimes.$Properties
             * @property {Array.<string>|null} [names] AttrTimes names
             * @property {Array.<number|Long>|null} [atMs] AttrTimes atMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AttrTimes.
             * @memberof srp.v1
             * @interface IAttrTimes
             * @augments srp.v1.AttrTimes.$Properties
             * @deprecated Use srp.v1.AttrTimes.$Properties instead.
             */

            /**
             * Shape of an AttrTimes.
             * @typedef {srp.v1.AttrTimes.$Properties} srp.v1.AttrTimes.$Shape
             */

            /**
             * Constructs a new AttrTimes.
             * @memberof srp.v1
             * @classdesc Represents an AttrTimes.
             * @constructor
             * @param {srp.v1.AttrTimes.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AttrTimes = function (properties) {
                this.names = [];
                this.atMs = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AttrTimes names.
             * @member {Array.<string>} names
             * @memberof srp.v1.AttrTimes
             * @instance
             */
            AttrTimes.prototype.names = $util.emptyArray;

            /**
             * AttrTimes atMs.
             * @member {Array.<number|Long>} atMs
             * @memberof srp.v1.AttrTimes
             * @instance
             */
            AttrTimes.prototype.atMs = $util.emptyArray;

            /**
             * Encodes the specified AttrTimes message. Does not implicitly {@link srp.v1.AttrTimes.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.AttrTimes
             * @static
             * @param {srp.v1.AttrTimes.$Properties} message AttrTimes message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AttrTimes.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.names != null && message.names.length)
                    for (let i = 0; i < message.names.length; ++i)
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.names[i]);
                if (message.atMs != null && message.atMs.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).uint64s(message.atMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AttrTimes message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.AttrTimes
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.AttrTimes & srp.v1.AttrTimes.$Shape} AttrTimes
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AttrTimes.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.AttrTimes();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.names && message.names.length))
                                message.names = [];
                            message.names.push(reader.stringVerify());
                            continue;
                        }
                    case 2: {
                            if (wireType === 2) {
                                if (!(message.atMs && message.atMs.length))
                                    message.atMs = [];
                                reader.uint64s(message.atMs);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.atMs && message.atMs.length))
                                message.atMs = [];
                            message.atMs.push(reader.uint64());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AttrTimes;
        })();

        v1.Keepalive = (function() {

            /**
             * Properties of a Keepalive.
             * @typedef {Object} srp.v1.Keepalive.$Properties
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Keepalive.
             * @memberof srp.v1
             * @interface IKeepalive
             * @augments srp.v1.Keepalive.$Properties
             * @deprecated Use srp.v1.Keepalive.$Properties instead.
             */

            /**
             * Shape of a Keepalive.
             * @typedef {srp.v1.Keepalive.$Properties} srp.v1.Keepalive.$Shape
             */

            /**
             * Constructs a new Keepalive.
             * @memberof srp.v1
             * @classdesc Represents a Keepalive.
             * @constructor
             * @param {srp.v1.Keepalive.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Keepalive = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Encodes the specified Keepalive message. Does not implicitly {@link srp.v1.Keepalive.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.Keepalive
             * @static
             * @param {srp.v1.Keepalive.$Properties} message Keepalive message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Keepalive.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Keepalive message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.Keepalive
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.Keepalive & srp.v1.Keepalive.$Shape} Keepalive
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Keepalive.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.Keepalive();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    reader.skipType(tag & 7, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Keepalive;
        })();

        v1.SplitHandoffAck = (function() {

            /**
             * Properties of a SplitHandoffAck.
             * @typedef {Object} srp.v1.SplitHandoffAck.$Properties
             * @property {number|Long|null} [handoffId] SplitHandoffAck handoffId
             * @property {number|Long|null} [applied] SplitHandoffAck applied
             * @property {number|Long|null} [conflicts] SplitHandoffAck conflicts
             * @property {Array.<string>|null} [conflictIds] SplitHandoffAck conflictIds
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SplitHandoffAck.
             * @memberof srp.v1
             * @interface ISplitHandoffAck
             * @augments srp.v1.SplitHandoffAck.$Properties
             * @deprecated Use srp.v1.SplitHandoffAck.$Properties instead.
             */

            /**
             * Shape of a SplitHandoffAck.
             * @typedef {srp.v1.SplitHandoffAck.$Properties} srp.v1.SplitHandoffAck.$Shape
             */

            /**
             * Constructs a new SplitHandoffAck.
             * @memberof srp.v1
             * @classdesc Represents a SplitHandoffAck.
             * @constructor
             * @param {srp.v1.SplitHandoffAck.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SplitHandoffAck = function (properties) {
                this.conflictIds = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SplitHandoffAck handoffId.
             * @member {number|Long} handoffId
             * @memberof srp.v1.SplitHandoffAck
             * @instance
             */
            SplitHandoffAck.prototype.handoffId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoffAck applied.
             * @member {number|Long} applied
             * @memberof srp.v1.SplitHandoffAck
             * @instance
             */
            SplitHandoffAck.prototype.applied = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoffAck conflicts.
             * @member {number|Long} conflicts
             * @memberof srp.v1.SplitHandoffAck
             * @instance
             */
            SplitHandoffAck.prototype.conflicts = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SplitHandoffAck conflictIds.
             * @member {Array.<string>} conflictIds
             * @memberof srp.v1.SplitHandoffAck
             * @instance
             */
            SplitHandoffAck.prototype.conflictIds = $util.emptyArray;

            /**
             * Encodes the specified SplitHandoffAck message. Does not implicitly {@link srp.v1.SplitHandoffAck.verify|verify} messages.
             * @function encode
             * @memberof srp.v1.SplitHandoffAck
             * @static
             * @param {srp.v1.SplitHandoffAck.$Properties} message SplitHandoffAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SplitHandoffAck.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.handoffId != null && $Object.hasOwnProperty.call(message, "handoffId") && (typeof message.handoffId === "object" ? message.handoffId.low || message.handoffId.high : message.handoffId !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.handoffId);
                if (message.applied != null && $Object.hasOwnProperty.call(message, "applied") && (typeof message.applied === "object" ? message.applied.low || message.applied.high : message.applied !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.applied);
                if (message.conflicts != null && $Object.hasOwnProperty.call(message, "conflicts") && (typeof message.conflicts === "object" ? message.conflicts.low || message.conflicts.high : message.conflicts !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.conflicts);
                if (message.conflictIds != null && message.conflictIds.length)
                    for (let i = 0; i < message.conflictIds.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.conflictIds[i]);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SplitHandoffAck message from the specified reader or buffer.
             * @function decode
             * @memberof srp.v1.SplitHandoffAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {srp.v1.SplitHandoffAck & srp.v1.SplitHandoffAck.$Shape} SplitHandoffAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SplitHandoffAck.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.srp.v1.SplitHandoffAck();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.handoffId = value;
                            else
                                delete message.handoffId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.applied = value;
                            else
                                delete message.applied;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.conflicts = value;
                            else
                                delete message.conflicts;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.conflictIds && message.conflictIds.length))
                                message.conflictIds = [];
                            message.conflictIds.push(reader.stringVerify());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SplitHandoffAck;
        })();

        return v1;
    })();

    return srp;
})();

export {
  $root as default
};
