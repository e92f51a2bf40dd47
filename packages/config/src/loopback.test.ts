import { describe, expect, it } from "vitest";
import { hostToConnectTo, isLoopbackHost, isLoopbackUrl } from "./loopback";

describe("loopback hosts", () => {
  it("127.0.0.1, localhost and [::1] in any case; nothing else", () => {
    for (const host of ["127.0.0.1", "localhost", "LocalHost", "[::1]"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["example.com", "localhost.example.com", "10.0.0.1", "::1", "0.0.0.0", ""]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it("URLs: the host decides, whatever the scheme or port; unparsable or missing is not loopback", () => {
    expect(isLoopbackUrl("https://127.0.0.1:10443/")).toBe(true);
    expect(isLoopbackUrl("http://LOCALHOST:3000/path")).toBe(true);
    expect(isLoopbackUrl("https://[::1]/")).toBe(true);
    expect(isLoopbackUrl("https://acs.communication.azure.com/")).toBe(false);
    expect(isLoopbackUrl("https://localhost.evil.example/")).toBe(false);
    expect(isLoopbackUrl("not a url")).toBe(false);
    expect(isLoopbackUrl(undefined)).toBe(false);
  });

  it("the host to connect to: wildcards mean 127.0.0.1, bare IPv6 gets brackets", () => {
    expect(["0.0.0.0", "::", ""].map(hostToConnectTo)).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
    ]);
    expect(hostToConnectTo("::1")).toBe("[::1]");
    expect(hostToConnectTo("[::1]")).toBe("[::1]");
    expect(hostToConnectTo("localhost")).toBe("localhost");
  });
});
