// Node identity: one live container per COREAPP_HOSTNAME. A container whose hostname is held by
// another container with a live claim is refused (docker-compose --scale gives every replica the
// service's COREAPP_HOSTNAME); a lapsed claim (fencing.ts) may be taken over.
import { claimLapsed, type ClaimRow } from './failover';

export interface ClaimantRow extends ClaimRow {
  nodeKey: string;
  container: string;
  /** null: this row holds the hostname; else the node key of the holder that refused it. */
  refusedBy: string | null;
}

export type ClaimDecision =
  | { kind: 'claim'; /** other containers' rows whose claims lapsed: removed */ stale: string[] }
  | { kind: 'refused'; holder: ClaimantRow };

export function decideClaim(rows: ClaimantRow[], me: string, dbNowMs: number): ClaimDecision {
  const others = rows.filter((r) => r.nodeKey !== me);
  const holder = others.find((r) => r.refusedBy === null && !claimLapsed(r, dbNowMs));
  if (holder) return { kind: 'refused', holder };
  return { kind: 'claim', stale: others.filter((r) => claimLapsed(r, dbNowMs)).map((r) => r.nodeKey) };
}

export function refusalText(hostname: string, me: string, holder: ClaimantRow): string {
  return `COREAPP_HOSTNAME ${hostname} is held by the live container ${holder.container} (${holder.nodeKey}); `
    + `this container (${me}) is refused and serves nothing until that claim lapses. `
    + 'Give every node its own COREAPP_HOSTNAME (docker-compose --scale gives all replicas the same one).';
}
