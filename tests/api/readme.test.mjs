// The README's table of widgets names, for each one that keeps its settings in the address,
// the keys its code writes there: the two are read here side by side, so they cannot drift
// apart again (the README once said `#lab.rate=` where the key is `lr`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const ROOT = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, ROOT), "utf8");
const readme = read("README.md");

/** The README table's address column for `element`. */
function addressColumn(element) {
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${element}\` |`));
  assert.ok(row, `README's widget table has a row for ${element}`);
  return row.split(" | ").at(-1);
}

/** The plain keys of the object literal `settings()` returns in a widget's source. */
function settingsKeys(file) {
  const body = /\n {2}settings\(\) \{\n\s*(?:return|const out =) \{([^}]*)\}/.exec(read(file));
  assert.ok(body, `${file} has settings()`);
  return [...body[1].matchAll(/(\w+):/g)].map((m) => m[1]);
}

test("the lab's and the race's address keys are the README's", () => {
  for (const [element, file] of [["calc-descent", "web/calc-descent.js"], ["calc-race", "web/calc-race.js"]]) {
    const column = addressColumn(element);
    for (const key of settingsKeys(file)) assert.ok(column.includes(`\`${key}\``), `${element}: README names the key ${key}`);
  }
  // The race's per-racer keys.
  const race = addressColumn("calc-race");
  for (const key of ["r.lr", "r.on=0", "momentum.momentum", "rmsprop.alpha", "adam.beta1", "adam.beta2"]) {
    assert.ok(race.includes(`\`${key}\``), `calc-race: README names ${key}`);
  }
  assert.match(read("web/calc-race.js"), /`\$\{key\}\.lr`/);
  assert.match(read("web/calc-race.js"), /`\$\{key\}\.on`/);
});

test("the playground's address keys are the README's", () => {
  const column = addressColumn("calc-playground");
  const source = read("web/calc-playground.js");
  const fields = /for \(const name of \[([^\]]*)\]\)/.exec(source);
  assert.ok(fields, "calc-playground.js lists its fields");
  const keys = [...fields[1].matchAll(/"(\w+)"/g)].map((m) => m[1]).concat("clip");
  for (const key of keys) {
    assert.ok(column.includes(`\`${key}\``), `calc-playground: README names the key ${key}`);
    assert.match(source, new RegExp(`(pick|word)\\("${key}"`), `calc-playground reads ${key} from the address`);
  }
});

test("every address example in the README uses a real key", () => {
  for (const [, id, key] of readme.matchAll(/#(\w+)\.([\w.]+)=/g)) {
    if (id === "lab") assert.ok(settingsKeys("web/calc-descent.js").includes(key), `#lab.${key}= is a key of the lab`);
  }
  assert.ok(!readme.includes("#lab.rate="), "the lab's learning rate is lr in the address");
});
