const ts=require("typescript"),fs=require("fs"),z=require("zlib");
const file=process.argv[2];const src=fs.readFileSync(file,"utf8");
const sf=ts.createSourceFile("x.js",src,ts.ScriptTarget.Latest,true);
let strBytes=0;const edits=[];
function visit(n){ if(ts.isStringLiteral(n)||ts.isNoSubstitutionTemplateLiteral(n)){ if(n.text.length>10){edits.push([n.getStart()+1,n.end-1]);strBytes+=n.text.length;} }
 else if(ts.isTemplateExpression(n)){ const parts=[n.head,...n.templateSpans.map(s=>s.literal)]; for(const p of parts){ if(p.text.length>3){strBytes+=p.text.length; const st=p.getStart(), en=p.end; edits.push([st+1, en-(p.kind===ts.SyntaxKind.TemplateTail?1:2)]);} } }
 ts.forEachChild(n,visit);}
visit(sf);
edits.sort((a,b)=>b[0]-a[0]);let out=src;for(const [a,b] of edits) out=out.slice(0,a)+out.slice(b);
const g=x=>z.gzipSync(x,{level:9}).length;
console.log({min:src.length,gzip:g(src),stringChars:strBytes,noStrMin:out.length,noStrGzip:g(out)});
