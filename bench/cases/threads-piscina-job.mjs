// piscina's worker for the pool benchmark (bench/cases/threads.mjs): a small job returns its value.
export default function job(value) {
  return value;
}
