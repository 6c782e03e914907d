//! Splits one of the book's wasm builds in two, without duplicating a byte of code.
//!
//! A page's build draws every chart on the page, but the reader's first screen shows one or
//! two of them. The functions only the later charts reach (their classes' exports, and what
//! nothing else calls) move to a *later* module; the rest, the *first* module, is what the page
//! fetches at once. The later module owns no memory, table or global: it imports the first's,
//! and calls the first's functions through imports, so the two run as one program.
//!
//! ```text
//! wasm-split in.wasm first.wasm later.wasm gearschart cliffmap descentmap
//! ```
//!
//! The classes are wasm-bindgen's, lowercased as in its exports (`gearschart_draw`,
//! `__wbg_gearschart_free`). An export that the first module's code reaches anyway stays in
//! it. The first module exports what the later one imports, under short `$` names; the later
//! module imports them from the namespace `first`, and the glue's own imports as before
//! (scripts/wasm-split.mjs adds the JS that instantiates it and joins the exports).
//!
//! Everything the first module keeps is decided by reachability from its roots: its other
//! exports, its start function and every function in a table (an indirect call can reach any
//! of them). So a later function is one no code path of the first module can call.

use std::collections::BTreeSet;
use std::process::ExitCode;

use walrus::ir::Visitor;
use walrus::{
    ExportItem, FunctionId, FunctionKind, GlobalId, GlobalKind, ImportedFunction, Module,
    ModuleConfig, TableId,
};

/// What one function's body refers to.
#[derive(Default)]
struct Refs {
    funcs: Vec<FunctionId>,
    globals: Vec<GlobalId>,
    tables: Vec<TableId>,
    memory: bool,
    data: bool,
}

impl<'i> Visitor<'i> for Refs {
    fn visit_function_id(&mut self, f: &FunctionId) {
        self.funcs.push(*f);
    }
    fn visit_global_id(&mut self, g: &GlobalId) {
        self.globals.push(*g);
    }
    fn visit_table_id(&mut self, t: &TableId) {
        self.tables.push(*t);
    }
    fn visit_memory_id(&mut self, _: &walrus::MemoryId) {
        self.memory = true;
    }
    fn visit_data_id(&mut self, _: &walrus::DataId) {
        self.data = true;
    }
}

fn refs(module: &Module, f: FunctionId) -> Refs {
    let mut refs = Refs::default();
    if let FunctionKind::Local(local) = &module.funcs.get(f).kind {
        walrus::ir::dfs_in_order(&mut refs, local, local.entry_block());
    }
    refs
}

/// Every function reachable from `roots` by calls and `ref.func`, `roots` included.
fn reachable(module: &Module, roots: impl IntoIterator<Item = FunctionId>) -> BTreeSet<FunctionId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<_> = roots.into_iter().collect();
    while let Some(f) = stack.pop() {
        if seen.insert(f) {
            stack.extend(refs(module, f).funcs);
        }
    }
    seen
}

fn is_later(name: &str, classes: &[String]) -> bool {
    classes
        .iter()
        .any(|c| name.starts_with(&format!("{c}_")) || name == format!("__wbg_{c}_free"))
}

/// Positions, in the module's order, of items: the same in two parses of the same bytes.
fn positions<T: Ord>(all: impl Iterator<Item = T>, wanted: &BTreeSet<T>) -> Vec<usize> {
    all.enumerate()
        .filter(|(_, x)| wanted.contains(x))
        .map(|(i, _)| i)
        .collect()
}

struct Plan {
    /// The later module's functions (by position), and the exports that lead to them.
    later: BTreeSet<usize>,
    later_exports: Vec<String>,
    /// What the later functions use of the first module's: its functions (local ones), globals
    /// and tables, by position.
    called: Vec<usize>,
    globals: Vec<usize>,
    tables: Vec<usize>,
    memory: bool,
}

fn plan(module: &Module, classes: &[String]) -> Result<Plan, String> {
    let mut first_roots = Vec::new();
    let mut later_roots = Vec::new();
    for export in module.exports.iter() {
        if let ExportItem::Function(f) = export.item {
            if is_later(&export.name, classes) {
                later_roots.push(f);
            } else {
                first_roots.push(f);
            }
        }
    }
    first_roots.extend(module.start);
    for element in module.elements.iter() {
        match &element.items {
            walrus::ElementItems::Functions(fs) => first_roots.extend(fs),
            walrus::ElementItems::Expressions(_, exprs) => {
                first_roots.extend(exprs.iter().filter_map(|e| match e {
                    walrus::ConstExpr::RefFunc(f) => Some(*f),
                    _ => None,
                }))
            }
        }
    }
    for global in module.globals.iter() {
        if let GlobalKind::Local(walrus::ConstExpr::RefFunc(f)) = global.kind {
            first_roots.push(f);
        }
    }
    for class in classes {
        if !module
            .exports
            .iter()
            .any(|e| is_later(&e.name, std::slice::from_ref(class)))
        {
            return Err(format!("the module exports no class `{class}`"));
        }
    }
    let first = reachable(module, first_roots);
    let later: BTreeSet<_> = reachable(module, later_roots)
        .into_iter()
        .filter(|f| {
            !first.contains(f) && matches!(module.funcs.get(*f).kind, FunctionKind::Local(_))
        })
        .collect();
    let later_exports = module
        .exports
        .iter()
        .filter(|e| matches!(e.item, ExportItem::Function(f) if later.contains(&f)))
        .map(|e| e.name.clone())
        .collect();
    let (mut called, mut globals, mut tables, mut memory) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), false);
    for &f in &later {
        let r = refs(module, f);
        if r.data {
            return Err(format!(
                "function {f:?} uses a passive data segment, which stays with the first module"
            ));
        }
        memory |= r.memory;
        globals.extend(r.globals);
        tables.extend(r.tables);
        for g in r.funcs {
            if later.contains(&g) {
                continue;
            }
            if let FunctionKind::Local(_) = module.funcs.get(g).kind {
                called.insert(g);
            }
        }
    }
    Ok(Plan {
        later: positions(module.funcs.iter().map(|f| f.id()), &later)
            .into_iter()
            .collect(),
        later_exports,
        called: positions(module.funcs.iter().map(|f| f.id()), &called),
        globals: positions(module.globals.iter().map(|g| g.id()), &globals),
        tables: positions(module.tables.iter().map(|t| t.id()), &tables),
        memory,
    })
}

fn parse(bytes: &[u8]) -> Result<Module, String> {
    let mut config = ModuleConfig::new();
    config.generate_producers_section(false);
    config
        .parse(bytes)
        .map_err(|e| format!("cannot read the module: {e}"))
}

const FIRST: &str = "first";

/// The name under which the first module exports item `i` of a kind (`f`unction, `g`lobal,
/// `t`able, `m`emory) to the later one: short, as there are hundreds, and with a `$` that no
/// wasm-bindgen export has.
fn shared(kind: char, i: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let (mut n, mut digits) = (i, Vec::new());
    loop {
        digits.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    format!(
        "${kind}{}",
        String::from_utf8(digits).expect("ASCII digits")
    )
}

/// The first module: the later functions gone, and what they use exported to them.
fn first_module(bytes: &[u8], plan: &Plan) -> Result<Vec<u8>, String> {
    let mut m = parse(bytes)?;
    for name in &plan.later_exports {
        m.exports.remove(name).map_err(|e| e.to_string())?;
    }
    let funcs: Vec<_> = m.funcs.iter().map(|f| f.id()).collect();
    for &i in &plan.called {
        m.exports.add(&shared('f', i), funcs[i]);
    }
    let globals: Vec<_> = m.globals.iter().map(|g| g.id()).collect();
    for &i in &plan.globals {
        m.exports.add(&shared('g', i), globals[i]);
    }
    let tables: Vec<_> = m.tables.iter().map(|t| t.id()).collect();
    for &i in &plan.tables {
        m.exports.add(&shared('t', i), tables[i]);
    }
    if plan.memory {
        let memory = m.get_memory_id().map_err(|e| e.to_string())?;
        m.exports.add(&shared('m', 0), memory);
    }
    walrus::passes::gc::run(&mut m);
    Ok(m.emit_wasm())
}

/// The later module: the later functions, importing everything else from the first.
fn later_module(bytes: &[u8], plan: &Plan) -> Result<Vec<u8>, String> {
    let mut m = parse(bytes)?;
    let funcs: Vec<_> = m.funcs.iter().map(|f| f.id()).collect();
    for &i in &plan.called {
        let ty = m.funcs.get(funcs[i]).ty();
        let import = m.imports.add(FIRST, &shared('f', i), funcs[i]);
        m.funcs.get_mut(funcs[i]).kind = FunctionKind::Import(ImportedFunction { import, ty });
    }
    let globals: Vec<_> = m.globals.iter().map(|g| g.id()).collect();
    for &i in &plan.globals {
        if let GlobalKind::Local(_) = m.globals.get(globals[i]).kind {
            let import = m.imports.add(FIRST, &shared('g', i), globals[i]);
            m.globals.get_mut(globals[i]).kind = GlobalKind::Import(import);
        }
    }
    // Tables and memory are the first module's, filled by its segments: none come along.
    let elements: Vec<_> = m.elements.iter().map(|e| e.id()).collect();
    for e in elements {
        m.elements.delete(e);
    }
    let tables: Vec<_> = m.tables.iter().map(|t| t.id()).collect();
    for t in &tables {
        m.tables.get_mut(*t).elem_segments.clear();
    }
    for &i in &plan.tables {
        if m.tables.get(tables[i]).import.is_none() {
            let import = m.imports.add(FIRST, &shared('t', i), tables[i]);
            m.tables.get_mut(tables[i]).import = Some(import);
        }
    }
    let data: Vec<_> = m.data.iter().map(|d| d.id()).collect();
    for d in data {
        m.data.delete(d);
    }
    let memories: Vec<_> = m.memories.iter().map(|x| x.id()).collect();
    for memory in memories {
        m.memories.get_mut(memory).data_segments.clear();
        if plan.memory && m.memories.get(memory).import.is_none() {
            let import = m.imports.add(FIRST, &shared('m', 0), memory);
            m.memories.get_mut(memory).import = Some(import);
        }
    }
    let exports: Vec<_> = m.exports.iter().map(|e| (e.id(), e.name.clone())).collect();
    for (id, name) in exports {
        if !plan.later_exports.contains(&name) {
            m.exports.delete(id);
        }
    }
    m.start = None;
    let customs: Vec<_> = m.customs.iter().map(|(id, _)| id).collect();
    for id in customs {
        m.customs.delete(id);
    }
    walrus::passes::gc::run(&mut m);
    // Every local function left must be a later one: anything else would be a second copy.
    let later: BTreeSet<_> = plan.later.iter().map(|&i| funcs[i]).collect();
    if let Some(f) = m
        .funcs
        .iter_local()
        .map(|(id, _)| id)
        .find(|id| !later.contains(id))
    {
        return Err(format!("function {f:?} would be in both modules"));
    }
    Ok(m.emit_wasm())
}

fn run(args: &[String]) -> Result<String, String> {
    let [input, first, later, classes @ ..] = args else {
        return Err("usage: wasm-split <in.wasm> <first.wasm> <later.wasm> <class>...".into());
    };
    if classes.is_empty() {
        return Err("name at least one class whose charts go to the later module".into());
    }
    let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let plan = plan(&parse(&bytes)?, classes)?;
    if plan.later.is_empty() {
        return Err(format!(
            "the first module's code reaches every function of {classes:?}: nothing to move"
        ));
    }
    let first_bytes = first_module(&bytes, &plan)?;
    let later_bytes = later_module(&bytes, &plan)?;
    std::fs::write(first, &first_bytes).map_err(|e| format!("{first}: {e}"))?;
    std::fs::write(later, &later_bytes).map_err(|e| format!("{later}: {e}"))?;
    Ok(format!(
        "{input}: {} functions and {} exports moved: {} + {} bytes (from {})",
        plan.later.len(),
        plan.later_exports.len(),
        first_bytes.len(),
        later_bytes.len(),
        bytes.len()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("wasm-split: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::{FunctionBuilder, ValType};

    /// `keep` (first) and `cls_draw` (later) both call `shared`; `cls_draw` alone calls `own`,
    /// which reads the memory at the global's address.
    fn module() -> Vec<u8> {
        let mut m = Module::default();
        let memory = m.memories.add_local(false, false, 1, None, None);
        m.exports.add("memory", memory);
        let stack = m.globals.add_local(
            ValType::I32,
            true,
            false,
            walrus::ConstExpr::Value(walrus::ir::Value::I32(8)),
        );
        let function = |m: &mut Module, body: &dyn Fn(&mut walrus::InstrSeqBuilder)| {
            let mut f = FunctionBuilder::new(&mut m.types, &[], &[ValType::I32]);
            body(&mut f.func_body());
            f.finish(vec![], &mut m.funcs)
        };
        let shared = function(&mut m, &|b| {
            b.global_get(stack);
        });
        let own = function(&mut m, &|b| {
            b.global_get(stack).load(
                memory,
                walrus::ir::LoadKind::I32 { atomic: false },
                walrus::ir::MemArg {
                    align: 4,
                    offset: 0,
                },
            );
        });
        let keep = function(&mut m, &|b| {
            b.call(shared);
        });
        let draw = function(&mut m, &|b| {
            b.call(shared).call(own).binop(walrus::ir::BinaryOp::I32Add);
        });
        m.exports.add("keep", keep);
        m.exports.add("cls_draw", draw);
        m.emit_wasm()
    }

    fn exports(bytes: &[u8]) -> Vec<String> {
        parse(bytes)
            .unwrap()
            .exports
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }

    #[test]
    fn the_later_class_moves_and_imports_what_it_shares() {
        let bytes = module();
        let plan = plan(&parse(&bytes).unwrap(), &["cls".into()]).unwrap();
        assert_eq!(plan.later.len(), 2, "cls_draw and own");
        assert_eq!(plan.later_exports, ["cls_draw"]);
        let first = parse(&first_module(&bytes, &plan).unwrap()).unwrap();
        let later = parse(&later_module(&bytes, &plan).unwrap()).unwrap();
        assert_eq!(first.funcs.iter_local().count(), 2, "keep and shared");
        assert_eq!(later.funcs.iter_local().count(), 2, "cls_draw and own");
        let f = shared('f', plan.called[0]);
        let g = shared('g', plan.globals[0]);
        let mut first_exports = exports(&first_module(&bytes, &plan).unwrap());
        first_exports.sort();
        let mut want = vec![
            "keep".to_string(),
            f.clone(),
            g.clone(),
            shared('m', 0),
            "memory".into(),
        ];
        want.sort();
        assert_eq!(first_exports, want);
        assert_eq!(exports(&later_module(&bytes, &plan).unwrap()), ["cls_draw"]);
        let mut imports: Vec<_> = later
            .imports
            .iter()
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect();
        imports.sort();
        let mut want = vec![
            format!("first.{f}"),
            format!("first.{g}"),
            format!("first.{}", shared('m', 0)),
        ];
        want.sort();
        assert_eq!(imports, want);
    }

    #[test]
    fn shared_names_count_in_base_36() {
        assert_eq!(shared('f', 0), "$f0");
        assert_eq!(shared('f', 35), "$fz");
        assert_eq!(shared('g', 36), "$g10");
        assert_eq!(shared('f', 36 * 36 + 1), "$f101");
    }

    #[test]
    fn a_class_the_module_does_not_export_is_an_error() {
        let bytes = module();
        let err = plan(&parse(&bytes).unwrap(), &["nope".into()])
            .err()
            .unwrap();
        assert!(err.contains("no class `nope`"), "{err}");
    }
}
