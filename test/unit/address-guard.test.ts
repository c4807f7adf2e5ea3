import { test } from "uvu";
import * as assert from "uvu/assert";
import { ipv6Bytes, isPrivateAddress, isPrivateUrlHost } from "../../src/delivery/net.ts";

// Addresses as the WHATWG URL parser leaves them in `hostname` (it normalises IPv6 and the odd IPv4 forms).
const host = (url: string) => new URL(url).hostname;

test("IPv6 literals parse to their 16 bytes, embedded IPv4 tails and zones included", () => {
  assert.equal(ipv6Bytes("::1"), [...Array(15).fill(0), 1]);
  assert.equal(ipv6Bytes("[::ffff:127.0.0.1]"), [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1]);
  assert.equal(ipv6Bytes("2002:a9fe:a9fe::"), [0x20, 0x02, 0xa9, 0xfe, 0xa9, 0xfe, ...Array(10).fill(0)]);
  assert.equal(ipv6Bytes("fe80::1%eth0")?.slice(0, 2), [0xfe, 0x80]);
  for (const bad of ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::g", "1.2.3.4", "example.org", ":::"]) assert.is(ipv6Bytes(bad), undefined, bad);
});

test("the address guard refuses every non-public IPv4 and IPv6 form, including the ones hidden in IPv6", () => {
  const refused = [
    // IPv4: loopback, private, link-local (cloud metadata), CGNAT, this-network, documentation, benchmarking, multicast
    "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "255.255.255.255",
    // IPv6: loopback, unspecified, IPv4-compatible (::7f00:1 = ::127.0.0.1, ::a9fe:a9fe = ::169.254.169.254)
    "::1", "::", "::7f00:1", "::a9fe:a9fe", "::a00:1",
    // IPv4-mapped and NAT64 forms of private addresses
    "::ffff:7f00:1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::8.8.8.8",
    // 6to4 embedding private IPv4, Teredo, discard-only, documentation
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::", "2002:a00:1::", "2001::1", "2001:0:4136:e378::", "100::1", "100::ffff:1", "2001:db8::1", "3fff::1",
    // unique local (AWS metadata fd00:ec2::254), link-local, site-local (deprecated), multicast
    "fd00:ec2::254", "fc00::1", "fe80::1", "febf::1", "fec0::1", "feff::1", "ff02::1",
  ];
  for (const a of refused) assert.ok(isPrivateAddress(a), `${a} must be refused`);
  const allowed = ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a01:4f8::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"];
  for (const a of allowed) assert.not.ok(isPrivateAddress(a), `${a} is public`);
  assert.ok(isPrivateAddress("example.org"), "a name is never an address: callers resolve it first");
});

test("URL hosts: odd IPv4 spellings, bracketed IPv6 and trailing-dot names are refused before any lookup", () => {
  const refused = [
    "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://0/", "http://127.0.0.1./",
    "http://[::1]/", "http://[::7f00:1]:8080/", "http://[::a9fe:a9fe]/latest/meta-data/", "http://[::ffff:169.254.169.254]/", "http://[2002:a9fe:a9fe::]/",
    "http://[fec0::1]/", "http://[100::1]/", "http://[fe80::1]/",
    "http://localhost/", "http://localhost./", "http://LOCALHOST../", "http://api.localhost./", "http://metadata.google.internal./",
  ];
  for (const u of refused) assert.ok(isPrivateUrlHost(new URL(u)), `${u} (${host(u)}) must be refused`);
  for (const u of ["https://annuaire.example/", "https://annuaire.example./", "http://93.184.216.34/", "http://[2606:4700::1111]/"]) {
    assert.not.ok(isPrivateUrlHost(new URL(u)), `${u} is not refused from its URL alone`);
  }
});

test.run();
