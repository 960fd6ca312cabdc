/**
 * The cases OneNET Studio and the legacy OneNET platform share (the legacy SDKs: the same verification GET, the
 * same ack rule, the same signature primitive, redelivery without a 200), written once. A profile plugs in
 * through {@link OneNetFamily}: its case ids and registry, how it registers a case, and its sender. This
 * folder is not a Playwright project (playwright.config.ts makes one per profile): each profile's spec files
 * call these functions, so the cases stay in that profile's suite, under that profile's ids.
 */
import { describeResponse, notAssessed, type Registry } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import type { PushOptions, VerificationProbe } from '../../src/protocols/onenet/sender.ts';
import type { Calibration, Observe, Target } from '../fixtures.ts';

/** What the shared cases ask of a profile's sender. */
export interface FamilySender {
  /** A fresh marker, unique to one message of the run. */
  marker(): string;
  /** A verification GET as the platform sends it. */
  verification(opts?: PushOptions): VerificationProbe;
}

/** A push as sent, and the marker the observer finds once the receiver has processed it. */
export interface ObservablePush {
  json: string;
  marker: string;
}

/** The fixtures the shared cases use: every OneNET profile's `test` has them, with its own sender. */
export interface FamilyArgs<S> {
  target: Target;
  sender: S;
  observe: Observe;
  run: RunConfig;
}

/** A shared case's body; Playwright reads the fixtures it needs from its destructured argument. */
export type FamilyBody<S> = (args: FamilyArgs<S>) => Promise<void>;

/** The cases every OneNET profile has, by `<area>.<behaviour>`: a profile's registry must hold each. */
export type FamilyCase =
  | 'verify.echo-verbatim'
  | 'verify.signature-percent-encoded'
  | 'verify.signature-raw'
  | 'verify.forged-not-echoed'
  | 'ack.within-5s'
  | 'ack.burst'
  | 'sign.forged-not-processed'
  | 'sign.tampered-not-processed'
  | 'dedup.redelivery-acked'
  | 'dedup.processed-once'
  | 'robust.survives-bad-input';

/**
 * One OneNET profile, as the shared cases see it: its `conformance`, which the shared cases call as the
 * profile's own spec files do (so a failure's location is the shared case), and its sender's pushes.
 * `Id` is the profile's case id type: `conformance` accepts the shared ids too, so a registry that lacks one
 * is a type error where the profile declares its family.
 */
export interface OneNetFamily<P extends string, Id extends string, S extends FamilySender> {
  profile: P;
  registry: Registry;
  // Function-typed properties, not methods: their parameters are checked strictly, so that a profile's
  // `conformance` must take every shared id.
  conformance: (id: `${P}.${FamilyCase}` | Id, body: FamilyBody<S>) => void;
  /** A genuine single-message push of the kind the profile's cases send by default (the sentinel's). */
  push(sender: S, opts?: PushOptions): ObservablePush;
  /** A push whose msg was replaced after signing. */
  tampered(sender: S): ObservablePush;
}

/** The OneNET profiles, which share these cases. */
export type FamilyProfile = 'onenet' | 'onenet-legacy';

/**
 * The id of a shared case in `family`'s profile, from its ids in both profiles, written out where the case is
 * defined so that `git grep <id>` finds the definition (the compiler checks both name the same case).
 */
export function idOf<P extends FamilyProfile, C extends FamilyCase>(
  family: { profile: P },
  ids: { onenet: `onenet.${C}`; 'onenet-legacy': `onenet-legacy.${C}` },
): `${P}.${C}` {
  return ids[family.profile] as `${P}.${C}`;
}

/** "must", "should" or "may": the level of the case, for the sentences a failure prints. */
export function modal(family: { registry: Registry }, id: string): string {
  const level = family.registry[id]?.level;
  if (level === undefined) throw new Error(`case ${id} has no requirement in the registry`);
  return level.toLowerCase();
}

/**
 * Sends a genuine push (the sentinel) once, after the messages the case counts, and resolves with the
 * calibration its record gives: the markers of the messages that must not have been processed (again) are
 * counted against it. A sentinel that is not acked or never recorded leaves the case not assessed, never
 * passed.
 */
export async function sentinelCalibration<S extends FamilySender>(
  family: Pick<OneNetFamily<string, string, S>, 'push'>,
  { target, sender, observe }: Pick<FamilyArgs<S>, 'target' | 'sender' | 'observe'>,
): Promise<Calibration> {
  const sentinel = family.push(sender);
  const res = await target.post(sentinel.json, 'genuine push (sentinel)');
  if (res.error !== undefined || res.response?.status !== 200) {
    notAssessed(
      `the genuine sentinel push was not acked (${describeResponse(res)}), so nothing can be concluded`,
    );
  }
  return observe.calibrate(sentinel.marker);
}
