// Name lookup through DNS queries (c-ares) instead of getaddrinfo. getaddrinfo runs on libuv's 4
// threads: a few lookups that hang (the name of a stopped container, where the resolver does not
// answer at once) would hold every thread and stall all other lookups and the database drivers, so
// that every node looks unreachable. Names DNS does not know (localhost, /etc/hosts) still go to the
// system resolver.
import { lookup as systemLookup, Resolver } from 'node:dns';
import type { LookupFunction } from 'node:net';

const resolver = new Resolver({ timeout: 2000, tries: 2 });

export const dnsLookup: LookupFunction = (hostname, options, callback) => {
  const answer = (address: string, family: number) => (options.all
    ? (callback as unknown as (e: null, all: { address: string; family: number }[]) => void)(null, [{ address, family }])
    : callback(null, address, family));
  resolver.resolve4(hostname, (err4, v4) => {
    if (!err4 && v4.length) return answer(v4[0], 4);
    resolver.resolve6(hostname, (err6, v6) => {
      if (!err6 && v6.length) return answer(v6[0], 6);
      if (err4?.code === 'ENOTFOUND' || err4?.code === 'ENODATA') return systemLookup(hostname, options, callback);
      callback(err4 ?? err6, '', 4);
    });
  });
};
