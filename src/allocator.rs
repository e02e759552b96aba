//! The process's memory allocator: small blocks from mimalloc, the rest from the system.
//!
//! A batch of responses makes about three hundred small allocations per message (the
//! report's strings and short vectors), where mimalloc's thread-local free lists are faster
//! than the system allocator's. A federation aggregate lives in large blocks (its text, the
//! parser's node and attribute arrays) and in many per-entity vectors of a kilobyte or more;
//! from the system allocator they take no more memory than the document needs, where
//! mimalloc's pages per size class would add a few megabytes to `samlkit metadata`'s peak.
//! mimalloc is built without transparent huge pages (`no_thp`), which would round its
//! memory up to 2 MiB pieces, and in its version 2 (`v2`), which touches fewer pages when a
//! process starts than version 3: a one-file `explain` takes no longer than with the system
//! allocator alone. BENCHMARKS.md has the measurements behind these choices.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of this many bytes or more come from the system allocator. Raising it to 256 KiB
/// gains nothing with mimalloc version 2 and adds about a megabyte to an aggregate's peak.
const LARGE_BLOCK: usize = 1024;

pub struct SplitBySize;

fn is_large(size: usize) -> bool {
    size >= LARGE_BLOCK
}

// SAFETY (every method): each block is freed and resized by the allocator that made it,
// chosen by its size, which `GlobalAlloc` passes back unchanged with the block; a resize
// across the threshold moves the block to the other allocator by a copy.
unsafe impl GlobalAlloc for SplitBySize {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size()) {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size()) {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_large(layout.size()) {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (is_large(layout.size()), is_large(new_size)) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: `new_size` with the old alignment is a valid layout, as the
                // `GlobalAlloc::realloc` contract requires of the caller.
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Growing a buffer across the threshold and back keeps its bytes (the block moves
    /// between the two allocators by a copy).
    #[test]
    fn a_buffer_keeps_its_bytes_across_the_threshold() {
        // Named by path: benches include this file in test builds without running its tests.
        const LARGE_BLOCK: usize = super::LARGE_BLOCK;
        let mut bytes: Vec<u8> = (0..1000u32).map(|n| (n % 251) as u8).collect();
        bytes.reserve_exact(LARGE_BLOCK * 2);
        assert!(bytes.capacity() >= LARGE_BLOCK);
        assert!(bytes.iter().enumerate().all(|(n, b)| *b == (n % 251) as u8));
        bytes.shrink_to_fit();
        assert!(bytes.capacity() < LARGE_BLOCK);
        assert!(bytes.iter().enumerate().all(|(n, b)| *b == (n % 251) as u8));
        let large = vec![7u8; LARGE_BLOCK + 1];
        assert!(large.iter().all(|b| *b == 7));
    }
}
