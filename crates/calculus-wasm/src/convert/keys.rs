//! Property names as JS strings, each made once and then lent: making one decodes UTF-8 on
//! the JS side, which, for the dozen keys of a training step's options read thousands of
//! times a second, cost more than the step's arithmetic.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

thread_local! {
    static KEYS: RefCell<Vec<((usize, usize), JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `f` given the JS string `name`.
pub(super) fn with_key<R>(name: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    // A literal's address and length name it (two literals may share a start).
    let id = (name.as_ptr() as usize, name.len());
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        let at = match keys.iter().position(|(at, _)| *at == id) {
            Some(at) => at,
            None => {
                keys.push((id, JsValue::from_str(name)));
                keys.len() - 1
            }
        };
        // Lent, not cloned: a clone and its drop are two more calls into JS.
        f(&keys[at].1)
    })
}
