/* Multiboot (v1) entry: the loader leaves us in 32-bit protected mode, paging off. */
.set MAGIC, 0x1BADB002
.set FLAGS, 0
.section .multiboot
.align 4
.long MAGIC
.long FLAGS
.long -(MAGIC + FLAGS)

.section .bss
.align 16
stack_bottom: .skip 16384
.global stack_top
stack_top:

.section .text
.global _start
_start:
    cli
    mov $stack_top, %esp
    call guest_main
1:  hlt
    jmp 1b

/* Interrupt entries: acknowledge, then restart the current mode on a fresh stack (no iret). */
.global irq_timer
irq_timer:
    mov $stack_top, %esp
    push $0
    call on_interrupt
1:  hlt
    jmp 1b

.global irq_serial
irq_serial:
    mov $stack_top, %esp
    push $4
    call on_interrupt
1:  hlt
    jmp 1b
