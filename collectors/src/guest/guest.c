/*
 * The project's test guest: a multiboot kernel driven line by line over COM1.
 *   idle      halt until the next timer tick (100 Hz), like an idle OS
 *   busy      spin: the vCPU runs its whole quantum
 *   dirty N   write one byte into each of N pages a second, in order, in a 16 MiB region at 16 MiB
 *   fill X    write byte X into the first 8 bytes of every page of the region: guests filled with
 *             the same X have the same 4096 pages (which KSM can merge), another X other pages.
 *             (Only 8 bytes a page: under nested KVM every store here costs microseconds.)
 * Each command is answered with "OK ..." (or "ERR ..."); "READY" means booted.
 *
 * Interrupt handlers never return with iret, which some nested hypervisors mishandle in protected
 * mode: they restart the current mode's loop on a fresh stack instead. Every loop is restartable.
 */
#include <stdint.h>

#define COM1 0x3F8
#define PIT_HZ 100
#define REGION ((volatile uint8_t *) 0x01000000) /* 16 MiB in */
#define REGION_PAGES 4096                         /* 16 MiB */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

struct idt_entry { uint16_t lo, sel; uint8_t zero, flags; uint16_t hi; } __attribute__((packed));
struct idt_ptr { uint16_t limit; uint32_t base; } __attribute__((packed));
static struct idt_entry idt[256];
extern void irq_timer(void), irq_serial(void);

enum mode { IDLE, BUSY, DIRTY };
static volatile enum mode mode = IDLE;
static volatile uint32_t ticks, dirty_per_second, next_page;
static char line[32];
static volatile int line_len;

static void put(const char *s) { for (; *s; s++) { while (!(inb(COM1 + 5) & 0x20)) {} outb(COM1, *s); } }
static void put_u32(uint32_t v) { char b[11]; int i = 10; b[i] = 0; do { b[--i] = '0' + v % 10; v /= 10; } while (v); put(b + i); }

static void set_gate(int n, void (*h)(void)) {
    uint32_t a = (uint32_t) h;
    idt[n] = (struct idt_entry){ a & 0xFFFF, 0x08, 0, 0x8E, a >> 16 };
}

static uint32_t parse(const char *s) { uint32_t v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }
static int starts(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }

static void command(void) {
    line[line_len] = 0;
    if (starts(line, "idle")) { mode = IDLE; put("OK idle\n"); }
    else if (starts(line, "busy")) { mode = BUSY; put("OK busy\n"); }
    else if (starts(line, "dirty ")) { dirty_per_second = parse(line + 6); next_page = 0; mode = DIRTY; put("OK dirty "); put_u32(dirty_per_second); put("\n"); }
    else if (starts(line, "fill ")) {
        uint64_t x = (uint8_t) parse(line + 5) * 0x0101010101010101ull;
        for (uint32_t page = 0; page < REGION_PAGES; page++) *(volatile uint64_t *) (REGION + page * 4096) = x;
        put("OK fill\n");
    }
    else { put("ERR "); put(line); put("\n"); }
    line_len = 0;
}

static void run_mode(void) {
    __asm__ volatile("sti");
    for (;;) {
        switch (mode) {
        case BUSY: for (volatile uint32_t i = 0; i < 1000000; i++) {} break;
        case DIRTY: /* write this tick's share of pages, then wait for the next tick */
            for (uint32_t n = 0; n < dirty_per_second / PIT_HZ + ((ticks % PIT_HZ) < dirty_per_second % PIT_HZ); n++) {
                REGION[(next_page % REGION_PAGES) * 4096] = (uint8_t) ticks;
                next_page++;
            }
            __asm__ volatile("hlt");
            break;
        default: __asm__ volatile("hlt"); break;
        }
    }
}

void on_interrupt(int irq) {
    if (irq == 0) ticks++;
    while (inb(COM1 + 5) & 1) {
        char c = inb(COM1);
        if (c == '\n' || c == '\r') { if (line_len) command(); }
        else if (line_len < (int) sizeof line - 1) line[line_len++] = c;
    }
    outb(0x20, 0x20); /* end of interrupt (master PIC) */
    run_mode();
}

void guest_main(void) {
    /* Our own flat GDT: code 0x08, data 0x10 (the loader's may be gone). */
    static uint64_t gdt[3] = { 0, 0x00CF9A000000FFFFull, 0x00CF92000000FFFFull };
    static struct { uint16_t l; uint32_t b; } __attribute__((packed)) gp;
    gp.l = sizeof gdt - 1; gp.b = (uint32_t) gdt;
    __asm__ volatile("lgdt %0\n ljmp $0x08, $1f\n 1: mov $0x10, %%ax\n mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss" : : "m"(gp) : "eax");
    /* COM1: 115200 8N1, interrupt on received data. */
    outb(COM1 + 1, 0); outb(COM1 + 3, 0x80); outb(COM1, 1); outb(COM1 + 1, 0); outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0xC7); outb(COM1 + 4, 0x0B); outb(COM1 + 1, 0x01);
    /* PIC: remap IRQ 0-7 to vectors 32-39, unmask timer and COM1. */
    outb(0x20, 0x11); outb(0x21, 32); outb(0x21, 4); outb(0x21, 1); outb(0x21, ~((1 << 0) | (1 << 4)));
    outb(0xA0, 0x11); outb(0xA1, 40); outb(0xA1, 2); outb(0xA1, 1); outb(0xA1, 0xFF);
    /* PIT channel 0 at PIT_HZ. */
    uint16_t div = 1193182 / PIT_HZ; outb(0x43, 0x36); outb(0x40, div & 0xFF); outb(0x40, div >> 8);
    /* Local APIC in virtual-wire mode: the 8259's output reaches the CPU through LINT0 (ExtINT). */
    volatile uint32_t *lapic = (volatile uint32_t *) 0xFEE00000;
    lapic[0xF0 / 4] = 0x1FF;      /* software enable, spurious vector 0xFF */
    lapic[0x350 / 4] = 0x700;     /* LINT0: ExtINT */
    lapic[0x360 / 4] = 0x400;     /* LINT1: NMI */
    set_gate(32, irq_timer); set_gate(36, irq_serial);
    static struct idt_ptr ip; ip.limit = sizeof idt - 1; ip.base = (uint32_t) idt;
    __asm__ volatile("lidt %0" : : "m"(ip));
    put("READY\n");
    run_mode();
}
