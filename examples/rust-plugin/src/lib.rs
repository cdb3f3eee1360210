//! rustscan: an example framebench plug-in strategy written in Rust, against
//! the C ABI of `allocators/frame_alloc.h`, with no crate dependencies.
//!
//! A bitmap (1 = used) scanned word by word from the start, the lowest free
//! frame first (as framebench's own `ctz`).  No runs: `alloc_run` and
//! `free_run` are NULL, so framebench skips the runs pattern for it.
//!
//!   cargo build --release          # target/release/librustscan.so
//!   framebench --load target/release/librustscan.so --strategies rustscan,ctz --matrix tiny
//!
//! The state is the caller's buffer: a header, then the bitmap, found from
//! the state's own address (no pointer is stored, so the state can be moved).

// std::os::raw, not core::ffi: Debian 12's rustc (1.63) predates core::ffi's C types.
use std::os::raw::{c_char, c_int, c_uint, c_void};

// frame_alloc.h: the contract version and the fa_err codes.
const FA_CONTRACT_VERSION: c_uint = 1;
const FA_OK: c_int = 0;
const FA_ENOMEM: c_int = 1;
const FA_EINVAL: c_int = 2;
const FA_ERANGE: c_int = 3;
const FA_EALIGN: c_int = 4;
const FA_EFREE: c_int = 5;
const FA_EBUSY: c_int = 6;
const FA_ENOSPACE: c_int = 7;
const FRAME_SHIFT: u32 = 12;
const FRAME_SIZE: u64 = 4096;
const STATE_ALIGN: usize = 64;
const MAX_FRAMES: u64 = 1 << 36;

/// struct fa_ops, member for member.
#[repr(C)]
pub struct FaOps {
    name: *const c_char,
    summary: *const c_char,
    state_size: Option<extern "C" fn(u64) -> usize>,
    init: Option<extern "C" fn(*mut c_void, usize, u64, u64) -> c_int>,
    alloc: Option<extern "C" fn(*mut c_void, *mut u64) -> c_int>,
    free: Option<extern "C" fn(*mut c_void, u64) -> c_int>,
    alloc_run: Option<extern "C" fn(*mut c_void, u64, c_uint, *mut u64) -> c_int>,
    free_run: Option<extern "C" fn(*mut c_void, u64, u64) -> c_int>,
    reserve: Option<extern "C" fn(*mut c_void, u64, u64) -> c_int>,
    free_frames: Option<extern "C" fn(*const c_void) -> u64>,
    check: Option<extern "C" fn(*const c_void) -> c_int>,
}
// The table is constant: its pointers are to static strings and functions.
unsafe impl Sync for FaOps {}

#[repr(C)]
struct Header {
    pfn0: u64,
    nframes: u64,
    nwords: u64,
    nfree: u64,
}
const HEADER: usize = (core::mem::size_of::<Header>() + STATE_ALIGN - 1) / STATE_ALIGN * STATE_ALIGN;

fn nwords(nframes: u64) -> u64 {
    (nframes + 63) / 64
}

/// The header and the bitmap of a state buffer `init` accepted.
unsafe fn parts<'a>(state: *mut c_void) -> (&'a mut Header, &'a mut [u64]) {
    let h = &mut *(state as *mut Header);
    let words = core::slice::from_raw_parts_mut((state as *mut u8).add(HEADER) as *mut u64, h.nwords as usize);
    (h, words)
}

extern "C" fn state_size(nframes: u64) -> usize {
    if nframes == 0 || nframes > MAX_FRAMES {
        return 0;
    }
    HEADER + nwords(nframes) as usize * 8
}

extern "C" fn init(state: *mut c_void, bytes: usize, base: u64, nframes: u64) -> c_int {
    if nframes == 0 || nframes > MAX_FRAMES || base % FRAME_SIZE != 0 || (base >> FRAME_SHIFT) > (1u64 << 52) - nframes {
        return FA_EINVAL;
    }
    if bytes < state_size(nframes) || (state as usize) % STATE_ALIGN != 0 {
        return FA_ENOSPACE;
    }
    unsafe {
        let h = &mut *(state as *mut Header);
        *h = Header { pfn0: base >> FRAME_SHIFT, nframes, nwords: nwords(nframes), nfree: nframes };
        let (h, words) = parts(state);
        words.fill(0);
        let tail = h.nframes % 64;
        if tail != 0 {
            words[h.nwords as usize - 1] = !0u64 << tail; // padding: never free
        }
    }
    FA_OK
}

extern "C" fn alloc(state: *mut c_void, pa: *mut u64) -> c_int {
    let (h, words) = unsafe { parts(state) };
    for (i, w) in words.iter_mut().enumerate() {
        if *w != !0u64 {
            let bit = (!*w).trailing_zeros() as u64;
            *w |= 1 << bit;
            h.nfree -= 1;
            unsafe { *pa = (h.pfn0 + i as u64 * 64 + bit) << FRAME_SHIFT };
            return FA_OK;
        }
    }
    FA_ENOMEM
}

/// The contract's checks in its order: count, alignment, the region.
fn locate(h: &Header, pa: u64, count: u64) -> Result<u64, c_int> {
    if count == 0 {
        return Err(FA_EINVAL);
    }
    if pa % FRAME_SIZE != 0 {
        return Err(FA_EALIGN);
    }
    let pfn = pa >> FRAME_SHIFT;
    if pfn < h.pfn0 || pfn - h.pfn0 >= h.nframes || count > h.nframes - (pfn - h.pfn0) {
        return Err(FA_ERANGE);
    }
    Ok(pfn - h.pfn0)
}

extern "C" fn free(state: *mut c_void, pa: u64) -> c_int {
    let (h, words) = unsafe { parts(state) };
    match locate(h, pa, 1) {
        Err(e) => e,
        Ok(i) => {
            let (w, bit) = ((i / 64) as usize, 1u64 << (i % 64));
            if words[w] & bit == 0 {
                return FA_EFREE;
            }
            words[w] &= !bit;
            h.nfree += 1;
            FA_OK
        }
    }
}

extern "C" fn reserve(state: *mut c_void, pa: u64, count: u64) -> c_int {
    let (h, words) = unsafe { parts(state) };
    let i = match locate(h, pa, count) {
        Err(e) => return e,
        Ok(i) => i,
    };
    // All free, or nothing changes.
    if (i..i + count).any(|k| words[(k / 64) as usize] & (1 << (k % 64)) != 0) {
        return FA_EBUSY;
    }
    for k in i..i + count {
        words[(k / 64) as usize] |= 1 << (k % 64);
    }
    h.nfree -= count;
    FA_OK
}

extern "C" fn free_frames(state: *const c_void) -> u64 {
    unsafe { (*(state as *const Header)).nfree }
}

extern "C" fn check(state: *const c_void) -> c_int {
    let (h, words) = unsafe { parts(state as *mut c_void) };
    if h.nframes == 0 || h.nframes > MAX_FRAMES || h.nwords != nwords(h.nframes) {
        return FA_EINVAL;
    }
    let tail = h.nframes % 64;
    if tail != 0 && words[h.nwords as usize - 1] >> tail != !0u64 >> tail {
        return FA_EINVAL; // a padding bit is clear: a scan could return it
    }
    let used: u64 = words.iter().map(|w| w.count_ones() as u64).sum();
    if used - (h.nwords * 64 - h.nframes) + h.nfree == h.nframes {
        FA_OK
    } else {
        FA_EINVAL
    }
}

static RUSTSCAN: FaOps = FaOps {
    name: b"rustscan\0".as_ptr() as *const c_char,
    summary: b"example Rust plug-in: bitmap scanned by words from 0, lowest free first; no runs\0".as_ptr()
        as *const c_char,
    state_size: Some(state_size),
    init: Some(init),
    alloc: Some(alloc),
    free: Some(free),
    alloc_run: None,
    free_run: None,
    reserve: Some(reserve),
    free_frames: Some(free_frames),
    check: Some(check),
};

/// FA_PLUGIN(&rustscan_ops), in Rust: the contract version and the
/// NULL-terminated list of strategies.
#[no_mangle]
pub static fa_plugin_contract: c_uint = FA_CONTRACT_VERSION;
#[no_mangle]
pub static fa_plugin_strategies: [Option<&'static FaOps>; 2] = [Some(&RUSTSCAN), None];
