/*
 * The project's test guest: a multiboot kernel driven line by line over COM1.
 *   idle      halt until the next interrupt (the timer ticks at 100 Hz), like an idle OS
 *   busy      spin: the vCPU runs its whole quantum and never halts
 *   write N   write one word into each of the first N pages of a 16 MiB region at 16 MiB, once
 *   fill X    write byte X into the first 8 bytes of every page of the region: guests filled with
 *             the same X have the same 4096 pages (which KSM can merge), another X other pages.
 *             (Only 8 bytes a page: under nested KVM every store here costs microseconds.)
 *   net IP GW          set up the NE2000 (ISA, port 0x300) with this IPv4 address and announce it:
 *                      an ARP request for the gateway GW, as any OS sends, so the host learns us
 *   send IP MAC N SIZE send N UDP datagrams a second of SIZE payload bytes to IP at MAC (port 7000)
 *   count     what the guest did since it booted: "OK count halts H datagrams D", the HLT
 *             instructions it executed and the UDP datagrams it sent. Tests compare what the host
 *             measured with these, not with how long they waited: on a loaded host a guest does
 *             less in a second than it was asked to.
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

enum mode { IDLE, BUSY, SEND };
static volatile enum mode mode = IDLE;
static volatile uint32_t ticks, halts, datagrams;
static char line[64];
static volatile int line_len;

/* Each HLT is counted just before it runs, with interrupts off until the HLT itself (sti holds them
 * back one instruction), so no interrupt comes between the two: KVM's halt exits are this count, or
 * one less while that HLT is under way. A command is answered from an interrupt, after the last HLT:
 * the count it reports is exactly KVM's. */
static void halt(void) { __asm__ volatile("cli; incl %0; sti; hlt" : "+m"(halts) : : "memory"); }

static void put(const char *s) { for (; *s; s++) { while (!(inb(COM1 + 5) & 0x20)) {} outb(COM1, *s); } }
static void put_u32(uint32_t v) { char b[11]; int i = 10; b[i] = 0; do { b[--i] = '0' + v % 10; v /= 10; } while (v); put(b + i); }

static void set_gate(int n, void (*h)(void)) {
    uint32_t a = (uint32_t) h;
    idt[n] = (struct idt_entry){ a & 0xFFFF, 0x08, 0, 0x8E, a >> 16 };
}

static uint32_t parse(const char *s) { uint32_t v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }
static int starts(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }
static const char *field(const char *s) { while (*s && *s != ' ') s++; while (*s == ' ') s++; return s; }
static void parse_ip(const char *s, uint8_t ip[4]) { for (int i = 0; i < 4; i++) { ip[i] = parse(s); while (*s >= '0' && *s <= '9') s++; s++; } }
static int hex(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
static void parse_mac(const char *s, uint8_t mac[6]) { for (int i = 0; i < 6; i++, s += 3) mac[i] = hex(s[0]) << 4 | hex(s[1]); }
static void put_hex(uint8_t v) { char b[3] = { "0123456789abcdef"[v >> 4], "0123456789abcdef"[v & 15], 0 }; put(b); }

/* NE2000 at 0x300, polled (no interrupts), transmit only: enough to put real frames on a tap. */
#define NE 0x300
#define NE_CR 0x00
#define NE_ISR 0x07
#define NE_DATA 0x10
#define NE_TX_PAGE 0x40
static uint8_t mac[6], ip[4], gateway[4], peer_mac[6], peer_ip[4];
static uint32_t send_per_second, send_size;
static uint8_t frame[1514];

static void ne_remote(uint16_t addr, uint16_t len, uint8_t command) {
    outb(NE + 0x0A, len & 0xFF); outb(NE + 0x0B, len >> 8);
    outb(NE + 0x08, addr & 0xFF); outb(NE + 0x09, addr >> 8);
    outb(NE + NE_CR, command);
}

static void ne_init(void) {
    outb(NE + 0x1F, inb(NE + 0x1F));                /* reset */
    while (!(inb(NE + NE_ISR) & 0x80)) {}
    outb(NE + NE_ISR, 0xFF);
    outb(NE + NE_CR, 0x21);                         /* page 0, stopped, no DMA */
    outb(NE + 0x0E, 0x48);                          /* byte transfers */
    outb(NE + 0x0C, 0x20);                          /* receive: monitor only, keep nothing */
    outb(NE + 0x0D, 0x00);                          /* transmit: normal */
    outb(NE + 0x01, 0x46); outb(NE + 0x02, 0x80); outb(NE + 0x03, 0x46);
    outb(NE + 0x0F, 0x00);                          /* no interrupts: polled */
    ne_remote(0, 12, 0x0A);                         /* the address PROM, each byte twice */
    for (int i = 0; i < 12; i++) { uint8_t b = inb(NE + NE_DATA); if (!(i & 1)) mac[i / 2] = b; }
    outb(NE + NE_ISR, 0xFF);
    outb(NE + NE_CR, 0x61);                         /* page 1: station address, current page */
    for (int i = 0; i < 6; i++) outb(NE + 0x01 + i, mac[i]);
    outb(NE + 0x07, 0x47);
    outb(NE + NE_CR, 0x22);                         /* page 0, started */
}

static void ne_send(uint16_t len) {
    if (len < 60) { for (uint16_t i = len; i < 60; i++) frame[i] = 0; len = 60; }
    outb(NE + NE_ISR, 0xFF);
    ne_remote(NE_TX_PAGE << 8, len, 0x12);
    for (uint16_t i = 0; i < len; i++) outb(NE + NE_DATA, frame[i]);
    while (!(inb(NE + NE_ISR) & 0x40)) {}
    outb(NE + 0x04, NE_TX_PAGE); outb(NE + 0x05, len & 0xFF); outb(NE + 0x06, len >> 8);
    outb(NE + NE_CR, 0x26);                         /* transmit */
    while (!(inb(NE + NE_ISR) & 0x0A)) {}
    outb(NE + NE_ISR, 0xFF);
}

static uint8_t *ethernet(const uint8_t *to, uint16_t type) {
    for (int i = 0; i < 6; i++) { frame[i] = to[i]; frame[6 + i] = mac[i]; }
    frame[12] = type >> 8; frame[13] = type & 0xFF;
    return frame + 14;
}

static void send_arp_request(const uint8_t *target) {
    static const uint8_t broadcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    uint8_t *a = ethernet(broadcast, 0x0806);
    static const uint8_t head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };  /* Ethernet, IPv4, request */
    for (int i = 0; i < 8; i++) a[i] = head[i];
    for (int i = 0; i < 6; i++) { a[8 + i] = mac[i]; a[18 + i] = 0; }
    for (int i = 0; i < 4; i++) { a[14 + i] = ip[i]; a[24 + i] = target[i]; }
    ne_send(14 + 28);
}

static void send_udp(void) {
    uint16_t total = 20 + 8 + send_size;
    uint8_t *p = ethernet(peer_mac, 0x0800);
    const uint8_t head[12] = { 0x45, 0, total >> 8, total & 0xFF, 0, 0, 0x40, 0, 64, 17, 0, 0 };
    for (int i = 0; i < 12; i++) p[i] = head[i];
    for (int i = 0; i < 4; i++) { p[12 + i] = ip[i]; p[16 + i] = peer_ip[i]; }
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) sum += p[i] << 8 | p[i + 1];
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    p[10] = ~sum >> 8; p[11] = ~sum & 0xFF;
    uint8_t *u = p + 20;
    const uint8_t udp[8] = { 0x1B, 0x58, 0x1B, 0x58, (8 + send_size) >> 8, (8 + send_size) & 0xFF, 0, 0 };
    for (int i = 0; i < 8; i++) u[i] = udp[i];
    for (uint32_t i = 0; i < send_size; i++) u[8 + i] = (uint8_t) i;
    ne_send(14 + total);
    datagrams++;
}

static void command(void) {
    line[line_len] = 0;
    if (starts(line, "idle")) { mode = IDLE; put("OK idle\n"); }
    else if (starts(line, "busy")) { mode = BUSY; put("OK busy\n"); }
    else if (starts(line, "write ")) {
        uint32_t pages = parse(line + 6);
        if (pages > REGION_PAGES) pages = REGION_PAGES;
        for (uint32_t page = 0; page < pages; page++) *(volatile uint32_t *) (REGION + page * 4096) = page;
        put("OK write "); put_u32(pages); put("\n");
    }
    else if (starts(line, "fill ")) {
        uint64_t x = (uint8_t) parse(line + 5) * 0x0101010101010101ull;
        for (uint32_t page = 0; page < REGION_PAGES; page++) *(volatile uint64_t *) (REGION + page * 4096) = x;
        put("OK fill\n");
    }
    else if (starts(line, "net ")) {
        const char *s = line + 4;
        parse_ip(s, ip); parse_ip(field(s), gateway);
        ne_init();
        send_arp_request(gateway);
        put("OK net "); for (int i = 0; i < 6; i++) { put_hex(mac[i]); if (i < 5) put(":"); } put("\n");
    }
    else if (starts(line, "send ")) {
        const char *s = line + 5;
        parse_ip(s, peer_ip); s = field(s); parse_mac(s, peer_mac); s = field(s);
        send_per_second = parse(s); send_size = parse(field(s));
        if (send_size > 1472) send_size = 1472;
        mode = SEND; put("OK send "); put_u32(send_per_second); put("\n");
    }
    else if (starts(line, "count")) { put("OK count halts "); put_u32(halts); put(" datagrams "); put_u32(datagrams); put("\n"); }
    else { put("ERR "); put(line); put("\n"); }
    line_len = 0;
}

static void run_mode(void) {
    __asm__ volatile("sti");
    for (;;) {
        switch (mode) {
        case BUSY: for (volatile uint32_t i = 0; i < 1000000; i++) {} break;
        case SEND: /* this tick's share of datagrams, then wait for the next tick */
            __asm__ volatile("cli"); /* a frame is never left half-copied by the next tick */
            for (uint32_t n = 0; n < send_per_second / PIT_HZ + ((ticks % PIT_HZ) < send_per_second % PIT_HZ); n++) send_udp();
            halt();
            break;
        default: halt(); break;
        }
    }
}

/* The serial port is read only when it interrupts: a timer tick never leaves KVM (whose PIC this is),
 * so the vCPU thread of an idle guest sleeps in HLT and nowhere else. */
void on_interrupt(int irq) {
    if (irq == 0) ticks++;
    else while (inb(COM1 + 5) & 1) {
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
    /* COM1 before the timer (IRQ 3 lowest, so IRQ 4 highest): the serial port is read only when it
     * interrupts, and a guest behind on its ticks (KVM delivers the missed ones) still hears commands. */
    outb(0x20, 0xC3);
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
