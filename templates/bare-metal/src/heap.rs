// {{#if alloc}}
//! The heap: a first-fit free-list allocator over the region the linker script reserves between
//! `__heap_start` and `__heap_end`. Free blocks form a list sorted by address, each block's header stored in
//! the free memory itself; `dealloc` puts a block back and merges it with the free blocks it touches, so freed
//! memory is reused. No crate needed: under two hundred lines, meant to be read. (The `embedded-alloc` crate
//! has more strategies, for one dependency.)

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::mem::{align_of, size_of};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, Ordering};

unsafe extern "C" {
    // The heap's bounds, defined by the linker script; only their addresses matter. `mut`: the heap is written
    // through pointers derived from `__heap_start`, which must not come from an immutable static.
    static mut __heap_start: u8;
    static mut __heap_end: u8;
}

/// The header of a free block, written at the block's start.
struct Block {
    size: usize,
    next: *mut Block,
}

/// Every block is at least a header long and a multiple of the header's alignment, so that any freed block
/// can hold a header again.
const MIN_BLOCK: usize = size_of::<Block>();
const BLOCK_ALIGN: usize = align_of::<Block>();

struct FreeList {
    /// First free block (lowest address), or null.
    head: *mut Block,
    /// The heap region is added on first use: statics cannot read linker symbols at compile time.
    initialised: bool,
}

/// The allocator: the free list behind a lock. The program runs on one core (the boot code parks the others);
/// the lock turns an allocation from an interrupt handler into a hang instead of a corrupted list.
pub struct Heap {
    locked: AtomicBool,
    list: UnsafeCell<FreeList>,
}

// SAFETY: `list` is only reached through `Heap::with`, which holds the lock.
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap {
    locked: AtomicBool::new(false),
    list: UnsafeCell::new(FreeList {
        head: null_mut(),
        initialised: false,
    }),
};

/// The heap's size in bytes, as the linker script laid it out.
pub fn size() -> usize {
    heap_end() - heap_start()
}

/// The heap's first byte. Every pointer into the heap is derived from this one (see `at`), so each keeps the
/// provenance of the heap region instead of being conjured from an integer.
fn heap_base() -> *mut u8 {
    &raw mut __heap_start
}

fn heap_start() -> usize {
    heap_base() as usize
}

fn heap_end() -> usize {
    (&raw mut __heap_end) as usize
}

/// A pointer to the heap address `addr`, derived from `heap_base` (pointer arithmetic, not an integer cast).
fn at<T>(addr: usize) -> *mut T {
    heap_base().wrapping_add(addr - heap_start()).cast()
}

const fn align_up(addr: usize, align: usize) -> usize {
    (addr + align - 1) & !(align - 1)
}

/// The size a request really takes: room for a header once freed, rounded to the header's alignment.
fn block_size(layout: Layout) -> usize {
    align_up(layout.size().max(MIN_BLOCK), BLOCK_ALIGN)
}

impl Heap {
    /// Runs `f` with exclusive access to the free list.
    fn with<R>(&self, f: impl FnOnce(&mut FreeList) -> R) -> R {
        // A load, then a store: on one core an interrupt handler runs to its end before the code it interrupted
        // goes on, so a handler either finds the lock free and gives it back, or finds it held and waits forever
        // (the hang above). No compare-and-swap, which ARMv6-M (Cortex-M0) does not have.
        while self.locked.load(Ordering::Acquire) {
            core::hint::spin_loop();
        }
        self.locked.store(true, Ordering::Relaxed);
        // SAFETY: holding the lock makes this the only reference to the list.
        let list = unsafe { &mut *self.list.get() };
        if !list.initialised {
            list.initialised = true;
            let start = align_up(heap_start(), BLOCK_ALIGN);
            let end = heap_end() & !(BLOCK_ALIGN - 1);
            if end >= start + MIN_BLOCK {
                // SAFETY: the linker script reserves this range for the heap and nothing else uses it.
                unsafe { list.insert(start, end - start) };
            }
        }
        let result = f(list);
        self.locked.store(false, Ordering::Release);
        result
    }
}

impl FreeList {
    /// First fit: takes the first free block that can hold `size` bytes at `align`, splitting off what is
    /// left before and after it as free blocks.
    fn take(&mut self, size: usize, align: usize) -> *mut u8 {
        // `link` points at the pointer to the current block, so unlinking a block is one store.
        let mut link: *mut *mut Block = &raw mut self.head;
        // SAFETY: `link` points at `self.head` or at the `next` field of a listed block: valid to read.
        while !unsafe { *link }.is_null() {
            // SAFETY: as above; and every listed block is a free block inside the heap with a valid header.
            let block = unsafe { *link };
            let start = block as usize;
            // SAFETY: `block` is a listed block (see above).
            let end = start + unsafe { (*block).size };
            // The allocation starts at the block, or far enough in to leave a whole free block in front.
            let mut addr = align_up(start, align);
            if addr != start && addr - start < MIN_BLOCK {
                addr = align_up(start + MIN_BLOCK, align);
            }
            let after = addr + size;
            // Whatever is left behind must be nothing or a whole free block.
            if after <= end && (after == end || end - after >= MIN_BLOCK) {
                // SAFETY: `block` is a listed block (see above).
                let mut rest = unsafe { (*block).next };
                if after < end {
                    let tail = at::<Block>(after);
                    // SAFETY: [after, end) is free memory inside this block, at least MIN_BLOCK bytes and
                    // BLOCK_ALIGN-aligned (both `after` and `end` are): room for a header.
                    unsafe {
                        tail.write(Block {
                            size: end - after,
                            next: rest,
                        });
                    }
                    rest = tail;
                }
                if addr == start {
                    // SAFETY: `link` is valid to write (see above); the block leaves the list whole.
                    unsafe { *link = rest };
                } else {
                    // SAFETY: `block` is a listed block; it stays listed, shortened to end where the allocation starts.
                    unsafe {
                        (*block).size = addr - start;
                        (*block).next = rest;
                    }
                }
                return at(addr);
            }
            // SAFETY: `block` is a listed block; its `next` field is the next link.
            link = unsafe { &raw mut (*block).next };
        }
        null_mut()
    }

    /// Returns `size` bytes at `addr` to the list, in address order, merged with the neighbours it touches.
    ///
    /// # Safety
    /// The range must be free heap memory, at least `MIN_BLOCK` bytes and aligned to `BLOCK_ALIGN`.
    unsafe fn insert(&mut self, addr: usize, size: usize) {
        let mut prev: *mut Block = null_mut();
        let mut next = self.head;
        while !next.is_null() && (next as usize) < addr {
            prev = next;
            // SAFETY: `next` is a listed block: a free block inside the heap with a valid header.
            next = unsafe { (*next).next };
        }
        let block = at::<Block>(addr);
        // SAFETY: the caller vouches that [addr, addr + size) is free heap memory with room for a header.
        unsafe {
            block.write(Block { size, next });
        }
        if !next.is_null() && addr + size == next as usize {
            // The freed range ends where the next free block starts: make them one block.
            // SAFETY: `block` was just written; `next` is a listed block, absorbed into it and so unlisted.
            unsafe {
                (*block).size += (*next).size;
                (*block).next = (*next).next;
            }
        }
        if prev.is_null() {
            self.head = block;
        // SAFETY: `prev` is a listed block (the last one before `addr`).
        } else if prev as usize + unsafe { (*prev).size } == addr {
            // The previous free block ends where the freed range starts: grow it instead.
            // SAFETY: `prev` is listed and `block` was just written; `block` is absorbed and never listed.
            unsafe {
                (*prev).size += (*block).size;
                (*prev).next = (*block).next;
            }
        } else {
            // SAFETY: `prev` is a listed block; `block` goes into the list right after it.
            unsafe { (*prev).next = block };
        }
    }
}

// SAFETY: `alloc` returns null or a range of at least `layout.size()` bytes aligned to `layout.align()` that no
// other allocation overlaps; `dealloc` gets back exactly such a range with the same layout.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.with(|list| list.take(block_size(layout), layout.align().max(BLOCK_ALIGN)))
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this layout, so it is a whole block that is no longer used.
        self.with(|list| unsafe { list.insert(ptr as usize, block_size(layout)) });
    }
}
// {{/if}}
