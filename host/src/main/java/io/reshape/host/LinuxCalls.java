package io.reshape.host;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The system calls the host agent needs, through JNA; each throws with errno when it fails. */
public interface LinuxCalls extends Library {

  LinuxCalls C = Native.load("c", LinuxCalls.class);

  int O_RDWR = 2;
  int O_CLOEXEC = 0x80000;
  int PROT_READ = 1;
  int PROT_WRITE = 2;
  int MAP_SHARED = 1;
  int MAP_PRIVATE = 2;
  int MAP_ANONYMOUS = 0x20;
  int MAP_NORESERVE = 0x4000;
  int MADV_WILLNEED = 3;
  int MADV_MERGEABLE = 12;
  int MADV_PAGEOUT = 21;
  /** x86_64 system call numbers of calls glibc 2.36 has no wrapper for. */
  long SYS_PIDFD_OPEN = 434;
  long SYS_PROCESS_MADVISE = 440;

  int open(String path, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int ioctl(int fd, long request, long argument) throws LastErrorException;

  int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset) throws LastErrorException;

  int munmap(Pointer address, long length) throws LastErrorException;

  int madvise(Pointer address, long length, int advice) throws LastErrorException;

  /** One byte per page of [address, address + length): bit 0 set where the page is resident. */
  int mincore(Pointer address, long length, Pointer residency) throws LastErrorException;

  /** A raw system call; every argument a {@code long} or a {@link Pointer}, as the kernel takes them in registers. */
  long syscall(long number, Object... arguments) throws LastErrorException;
}
