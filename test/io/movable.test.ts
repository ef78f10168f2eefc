/**
 * io/movable.ts: which buffers postMessage may move to another thread. A wrong answer either copies
 * what could move (slower) or detaches a buffer other bytes still view (Node's pool of small Buffers:
 * every small Buffer of the process would turn empty), so each case is checked by a real move.
 */
import { describe, expect, it } from "vitest";
import { movableBuffers } from "../../generator/io/movable.js";

describe("movableBuffers", () => {
  it("moves bytes that view their whole buffer, each buffer once, and nothing else", () => {
    const own = new Uint8Array(70_000).fill(7);
    const pooled = Buffer.from("a small Buffer from Node's shared pool");
    const part = new Uint8Array(1024).subarray(0, 512);
    const shared = new Uint8Array(new SharedArrayBuffer(4096));
    const moved = movableBuffers([own, own, pooled, part, shared, "text"]);
    expect(moved).toEqual([own.buffer]);
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    // what it names does move: the copy that arrives is whole, the sender's bytes are empty
    const arrived = structuredClone(own, { transfer: moved });
    expect(arrived.length).toBe(70_000);
    expect(arrived.every((b) => b === 7)).toBe(true);
    expect(own.length).toBe(0);
    expect(pooled.toString()).toBe("a small Buffer from Node's shared pool");
  });
});
