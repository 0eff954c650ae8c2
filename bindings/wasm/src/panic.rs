//! Panics reach JavaScript as errors with their message: a hook records the message, the
//! module traps (`panic = "abort"`), and the JavaScript wrapper reads the message with
//! [`take_panic`]. Shared by both npm packages (`voronka` and `voronka-docs`), which include
//! this file with `#[path]`.

use std::cell::RefCell;
use std::sync::Once;

use wasm_bindgen::prelude::*;

thread_local! {
    /// The message of the last panic, until the wrapper takes it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Records panic messages so the JavaScript side can report them (a panic then traps).
pub(crate) fn install_panic_hook() {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info.to_string();
            LAST_PANIC.with(|slot| {
                if let Ok(mut slot) = slot.try_borrow_mut() {
                    *slot = Some(message);
                }
            });
        }));
    });
}

/// The message of the last panic, if one happened since the last call; clears it.
#[wasm_bindgen(js_name = takePanic)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.with(|slot| slot.try_borrow_mut().ok().and_then(|mut s| s.take()))
}

/// Panics on purpose, so the tests can check that a panic surfaces as a JavaScript error.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("deliberate panic for the binding's tests");
}
