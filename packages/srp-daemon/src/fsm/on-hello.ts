// The chassis state machine's answer to a believed peer Hello, state by state. The liveness
// detector has already judged the Hello: `fresh` (it echoes this boot of ours and a recent Hello
// of ours, so the peer's state in it is current) and `newBoot` (the peer restarted).
import { splitBrainLoss, tableRule, winsTakeover } from './election.js';
import { adoptPeerEpoch, candidateOf, peerCandidate, type Step } from './step.js';
import type { PeerHello, PeerView } from './types.js';

export function onHello(t: Step, h: PeerHello): void {
  const s = t.s;
  const peer: PeerView = { ...h, lastHelloAt: t.now, alive: true };
  s.peer = peer;
  s.maxSeenEpoch = Math.max(s.maxSeenEpoch, h.epoch);
  if (h.goodbye) {
    // The peer's last Hello before it stops: as a Goodbye on the link.
    peer.alive = false;
    t.effects.push({ type: 'log', level: 'info', msg: `peer ${h.chassisId} is stopping (its last Hello)` });
    onGoodbyeHello(t, h);
    return;
  }
  switch (s.name) {
    case 'Init':
      onHelloInInit(t, peer);
      break;
    case 'Standby':
      onHelloInStandby(t, peer);
      break;
    case 'Active':
      onHelloInActive(t, peer);
      break;
    case 'Pending-Standby':
      if (h.state === 'Active') t.becomeStandbyOf(peer, s.switchover?.reason ?? 'manual', `peer ${h.chassisId} is Active: switchover complete`);
      else if (h.newBoot) t.go('Active', null, 'peer restarted during the switchover; resuming');
      break;
    case 'Pending-Active':
      // A takeover waits for the witness's lease; a peer heard Active again that holds it keeps
      // the role, and this chassis goes back to Standby. Fenced or not: a lease holder that was
      // unheard for a while is fenced until it hears us as Standby again, and it does not step
      // down for a takeover that cannot finish without its lease.
      if (s.witness && !s.witness.held && h.state === 'Active' && s.witness.holder === h.chassisId) {
        s.epoch = s.baseEpoch; // the takeover's new epoch never held a table
        t.becomeStandbyOf(peer, 'split-brain', `takeover abandoned: peer ${h.chassisId} is Active and holds the witness lease`);
      }
      break;
  }
}

function onGoodbyeHello(t: Step, h: PeerHello): void {
  const s = t.s;
  const cause = `peer said goodbye in its last Hello`;
  if (s.name === 'Standby' || (s.name === 'Init' && h.takeoverNow)) t.takeOver('peer-goodbye', cause, null);
  else if (s.name === 'Pending-Standby') t.go('Active', null, `${cause} during switchover; resuming`);
  else if (s.name === 'Active') {
    t.effects.push({ type: 'peer-lost', cause });
    t.unfence('the peer stopped: this chassis serves alone');
  }
}

/**
 * Init: a chassis that just started knows nothing, so it never takes the Active role from a peer
 * that may hold the sessions. It joins an Active peer at once; it elects against a peer in Init;
 * it waits for a Standby peer that holds a newer table (that peer takes over, seeing our new
 * boot); and it acts on a Standby peer's Hello only when the Hello is fresh (the peer has heard
 * this boot of ours), since a Hello sent before that describes a peer still waiting for the
 * Active we were before we restarted.
 */
function onHelloInInit(t: Step, peer: PeerView): void {
  const s = t.s;
  const h = peer;
  if (h.state === 'Active' || h.state === 'Pending-Active') {
    t.becomeStandbyOf(peer, 'election', `peer ${h.chassisId} is ${h.state}`);
  } else if (h.state === 'Init') {
    if (winsTakeover(candidateOf(s), peerCandidate(h))) {
      t.takeOver('election', `won the start-up election against ${h.chassisId} (${electionBasis(t, h)})`, null);
    } else {
      t.becomeStandbyOf(peer, 'election', `lost the start-up election to ${h.chassisId} (${electionBasis(t, h)})`);
    }
  } else if (h.state === 'Standby' && h.fresh) {
    if (h.epoch > s.epoch) {
      t.log('info', `peer ${h.chassisId} is Standby with the table of epoch ${h.epoch}: waiting for it to take over`);
    } else {
      // The peer knows this boot of ours and still waits: it lost the election to us, or it
      // has no Active at all, and it holds nothing newer. Serve.
      t.takeOver('election', `peer ${h.chassisId} is Standby and waiting for an Active`, null);
    }
  }
}

function onHelloInStandby(t: Step, peer: PeerView): void {
  const s = t.s;
  const h = peer;
  if (h.newBoot) {
    t.takeOver('peer-dead', `peer ${h.chassisId} restarted (new boot id) and lost its sessions`, null);
  } else if (h.state === 'Standby') {
    // Nobody is Active (both Standby): the one with the newer table takes over, else the
    // election; the other keeps waiting.
    if (winsTakeover(candidateOf(s), peerCandidate(h))) t.takeOver('election', `no Active chassis: peer ${h.chassisId} is Standby too`, null);
  } else if (h.state === 'Active') {
    s.routeModifier = h.routeModifier;
    adoptPeerEpoch(s);
    t.maybePreempt();
  }
}

function onHelloInActive(t: Step, peer: PeerView): void {
  const s = t.s;
  const h = peer;
  if (h.state === 'Active') {
    // With a witness its lease decides; else a table that lacks what ours holds (empty, or
    // partial) never wins, even over a peer that cannot hear us: stepping down would lose our
    // table (the peer steps down once it hears us); else a peer that cannot hear us cannot step
    // down for us (ending the two Actives is ours to do); else the split-brain rule.
    const w = s.witness;
    const tables = tableRule(candidateOf(s), peerCandidate(h));
    const loss =
      w && w.held
        ? null
        : w && w.holder === h.chassisId
          ? 'the peer holds the witness lease'
          : tables !== null
            ? tables.loser === 'local'
              ? tables.why
              : null
            : s.peerDeaf
              ? 'the peer cannot hear us (one-way fault), so it cannot step down'
              : splitBrainLoss(candidateOf(s), peerCandidate(h));
    if (loss !== null) {
      const cause = `two Actives met: peer ${h.chassisId} wins (${loss})`;
      // The hand-over is captured before the table is given up (the transition makes it Standby).
      t.effects.push({ type: 'split-handoff', cause });
      t.becomeStandbyOf(peer, 'split-brain', cause);
    } else {
      t.log('warn', `two Actives met: staying Active, peer ${h.chassisId} must step down`);
      t.effects.push({ type: 'send-hello' });
    }
  } else if (s.fenced && h.state === 'Pending-Active' && !s.witness?.held && tableRule(candidateOf(s), peerCandidate(h))?.loser !== 'peer') {
    // Fenced (we were stalled or unheard) and the peer is taking over: it serves, we do not.
    // Not while we hold the witness lease: the peer cannot finish its takeover without it (it
    // goes back to Standby once it hears us Active), so stepping down would leave no Active.
    // Nor for a peer whose table lacks what ours holds (empty, or partial: it took over before
    // its bulk sync finished): ours would be lost; once it reports Active the two-Actives rule
    // makes it step down (splitBrainLoss).
    const cause = `fenced and peer ${h.chassisId} is taking over`;
    t.effects.push({ type: 'split-handoff', cause });
    t.becomeStandbyOf(peer, 'split-brain', cause);
  } else if (s.fenced && h.fresh && !s.peerDeaf && (h.state === 'Standby' || h.state === 'Init')) {
    t.unfence(`peer ${h.chassisId} is ${h.state} and hears us: it did not take over`);
  }
}

function electionBasis(t: Step, h: PeerHello): string {
  const cfg = t.cfg;
  if (t.s.epoch !== h.epoch) return `table epoch ${t.s.epoch} vs ${h.epoch}`;
  if (cfg.mode !== h.mode) return `mode ${cfg.mode} vs ${h.mode}`;
  if (cfg.priority !== h.priority) return `priority ${cfg.priority} vs ${h.priority}`;
  return 'equal priority: CF MAC decides';
}
