// The interop suites' Kamailio harness lives in lab/kamailio/ since the lab runs Kamailio as a
// node too (role `kamailio`); this re-export keeps the suites' imports unchanged.
export * from '../../lab/kamailio/kamailio.ts';
