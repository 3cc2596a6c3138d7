//! `report verify` and `report render`'s reader: any bytes are intact,
//! altered or not a report; never a panic. What loads renders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pawdiag::report::{self, Format};

fuzz_target!(|data: &[u8]| {
    let _ = report::verify(data);
    if let Ok(r) = report::load(data) {
        for f in Format::ALL {
            let _ = report::render(&r, f);
        }
    }
});
