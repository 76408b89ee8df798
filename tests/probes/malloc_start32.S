/* malloc_start32.S - _start for the i386 probe, built without 32-bit crt files: calls __libc_start_main(main, argc, argv, 0, 0, rtld_fini, stack_end). */
	.text
	.globl _start
_start:
	xor %ebp,%ebp
	pop %esi
	mov %esp,%ecx
	and $-16,%esp
	push %eax
	push %esp
	push %edx
	push $0
	push $0
	push %ecx
	push %esi
	push $main
	call __libc_start_main
	hlt
