import assert from "node:assert/strict";
import { glibcExp, glibcSoftmax } from "../../src/agents/glibc_exp.ts";

Deno.test("glibcExp rounds like glibc where Math.exp does not", () => {
  // Reference values from CPython's math.exp (glibc 2.36, x86-64 with FMA).
  assert.equal(glibcExp(-0.44189453125), 0.6428174290311346);
  assert.equal(glibcExp(8.294272422790527), 4000.8912300256234);
  assert.equal(glibcExp(-6.696963310241699), 0.0012346554814085232);
  assert.equal(glibcExp(0), 1);
  assert.equal(glibcExp(1), Math.E);
  assert.deepEqual(Array.from(glibcSoftmax([0, 0.44189453125])), [0.39128963308493847, 0.6087103669150615]);
});
