// The README's JavaScript examples (```js blocks), each run as its own ES module: they import
// the built package by name, as a user would, and assert what they show.

import { testReadmeExamples } from '../scripts/readme-examples.mjs';

testReadmeExamples(new URL('../README.md', import.meta.url), new URL('./.readme-examples/', import.meta.url), 5);
