const BODY = JSON.stringify([{ id: 1, name: "Intapp" }, { id: 2, name: "Northwind" }]);
const mk = () => new Response(BODY, { status: 200, headers: { "content-type": "application/json" } });
async function v0(r) { return r; } // baseline: consumer parses
async function v1(r) { const reader = r.body.getReader(); const chunks=[]; for(;;){const {done,value}=await reader.read(); if(done)break; chunks.push(value);} const b=chunks[0]; const a=new Response(b, r); const p=JSON.parse(new TextDecoder().decode(b)); a.json=()=>Promise.resolve(p); return a; }
async function v2(r) { const t = await r.text(); const a=new Response(t, {status:r.status, statusText:r.statusText, headers:r.headers}); const p=JSON.parse(t); a.json=()=>Promise.resolve(p); return a; }
async function v3(r) { const t = await r.text(); const p=JSON.parse(t); r.json=()=>Promise.resolve(p); r.text=()=>Promise.resolve(t); return r; }
async function v4(r) { const b = new Uint8Array(await r.arrayBuffer()); const a=new Response(b, {status:r.status, statusText:r.statusText, headers:r.headers}); const p=JSON.parse(new TextDecoder().decode(b)); a.json=()=>Promise.resolve(p); return a; }
const vs = {v0, v1, v2, v3, v4};
const res = {};
for (let round = 0; round < 7; round++) for (const [k, f] of Object.entries(vs)) {
  const t = performance.now();
  for (let i = 0; i < 5000; i++) { const a = await f(mk()); await a.json(); }
  const us = (performance.now() - t) / 5000 * 1000;
  res[k] = Math.min(res[k] ?? 1e9, us);
}
console.log(Object.fromEntries(Object.entries(res).map(([k,v])=>[k, v.toFixed(2)])));
async function v5(r) { const reader = r.body.getReader(); const chunks=[]; for(;;){const {done,value}=await reader.read(); if(done)break; chunks.push(value);} const t=new TextDecoder().decode(chunks[0]); const p=JSON.parse(t); r.json=()=>Promise.resolve(p); r.text=()=>Promise.resolve(t); return r; }
const res2 = {};
for (let round = 0; round < 7; round++) for (const [k, f] of Object.entries({v0, v3, v5, v2})) {
  const t = performance.now();
  for (let i = 0; i < 5000; i++) { const a = await f(mk()); await a.json(); }
  const us = (performance.now() - t) / 5000 * 1000;
  res2[k] = Math.min(res2[k] ?? 1e9, us);
}
console.log(Object.fromEntries(Object.entries(res2).map(([k,v])=>[k, v.toFixed(2)])));
