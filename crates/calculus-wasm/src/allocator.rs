//! The wasm builds' allocator: blocks of power-of-two sizes, one free list per size, carved
//! from memory the module grows. std's dlmalloc cost every build about 4 KB gzipped (issue 16:
//! a chapter page is held to 150 KB); this is a few hundred bytes.
//!
//! A freed block goes back on its size's list and is reused as it is, never split or merged:
//! the charts and networks allocate the same few sizes again and again (a frame's points, a
//! layer's activations), so a list soon holds what the next frame asks for, and memory stays
//! near twice the largest that was live at once. Every block is aligned to its own size (up
//! to a 64 KiB page), so a block serves any alignment its size allows; the gap left when the
//! end of the carved memory is aligned up goes onto the lists of the sizes that fill it.
//! wasm runs one thread per module instance, so the state is plain cells.
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

const PAGE: usize = 65536;
/// The smallest block: 16 bytes, room for the free list's link and v128's alignment.
const MIN_CLASS: u32 = 4;
const CLASSES: usize = usize::BITS as usize;

struct Classes {
    /// The first free block of each size 2^k (0: none); each free block holds the next.
    free: [Cell<usize>; CLASSES],
    /// The carved memory's end, and the grown memory's.
    next: Cell<usize>,
    end: Cell<usize>,
}

// SAFETY: a wasm32-unknown-unknown module without the atomics feature has one thread.
unsafe impl Sync for Classes {}

#[global_allocator]
static ALLOCATOR: Classes = Classes {
    free: [const { Cell::new(0) }; CLASSES],
    next: Cell::new(0),
    end: Cell::new(0),
};

/// The size class (k of 2^k) that holds `layout`.
fn class(layout: Layout) -> u32 {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    size.next_power_of_two().trailing_zeros()
}

impl Classes {
    fn push(&self, k: u32, block: usize) {
        let head = &self.free[k as usize];
        // SAFETY: `block` is a free block of 2^k ≥ 16 bytes, aligned to its size.
        unsafe { (block as *mut usize).write(head.get()) };
        head.set(block);
    }

    /// A new block of 2^k bytes from the end of the carved memory, growing it if need be.
    fn carve(&self, k: u32) -> usize {
        let size = 1usize << k;
        let align = size.min(PAGE);
        // Fill the gap up to the alignment with smaller free blocks, largest last.
        while self.next.get() & (align - 1) != 0 && self.next.get() < self.end.get() {
            let at = self.next.get();
            let piece = at & at.wrapping_neg();
            if at + piece > self.end.get() {
                break;
            }
            self.push(piece.trailing_zeros(), at);
            self.next.set(at + piece);
        }
        let start = (self.next.get() + align - 1) & !(align - 1);
        let fits = matches!(start.checked_add(size), Some(e) if e <= self.end.get());
        if !fits {
            // A fresh run of pages: the old run's tail stays unused if it cannot hold this.
            let pages = size.div_ceil(PAGE);
            let first = core::arch::wasm32::memory_grow(0, pages);
            if first == usize::MAX {
                return 0;
            }
            let base = first * PAGE;
            if base != self.end.get() {
                self.next.set(base);
            }
            self.end.set(base + pages * PAGE);
            return self.carve(k);
        }
        self.next.set(start + size);
        start
    }
}

unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let k = class(layout);
        let head = &self.free[k as usize];
        let block = head.get();
        if block != 0 {
            // SAFETY: a free block holds the next one's address.
            head.set(unsafe { (block as *const usize).read() });
            return block as *mut u8;
        }
        self.carve(k) as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.push(class(layout), ptr as usize);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's promises on `layout` and `new_size` are GlobalAlloc's.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(new) == class(layout) {
            return ptr;
        }
        // SAFETY: as GlobalAlloc's default realloc.
        unsafe {
            let out = self.alloc(new);
            if !out.is_null() {
                core::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            out
        }
    }
}
