package dev.jpprof.agent.cpu;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JFR file async-profiler is writing, one complete chunk at a time. After a {@code dump}
 * the file already holds the start of the next chunk, so a chunk's end is found from its header's
 * size field, never from the file length.
 */
final class ChunkFile implements Closeable {
  /** JFR chunk header: magic "FLR\0", version, size, constant pool and metadata offsets, times. */
  private static final int HEADER_SIZE = 68;

  private static final int MAGIC = 0x464c5200;

  private final Path path;
  private FileChannel channel;
  private long scanned; // offset of the first chunk not yet returned by completeChunks()

  ChunkFile(Path path) {
    this.path = path;
  }

  /** A complete chunk's place in the file. */
  static final class Chunk {
    final long offset;
    final long size;

    Chunk(long offset, long size) {
      this.offset = offset;
      this.size = size;
    }
  }

  /** Returns the chunks completed since the last call, in file order. */
  List<Chunk> completeChunks() throws IOException {
    FileChannel ch = channel();
    List<Chunk> chunks = new ArrayList<>();
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    while (true) {
      header.clear();
      if (!readFully(ch, header, scanned)) {
        return chunks;
      }
      if (header.getInt(0) != MAGIC) {
        throw new IOException("not a JFR chunk at offset " + scanned + " of " + path);
      }
      long size = header.getLong(8);
      long constantPools = header.getLong(16);
      long metadata = header.getLong(24);
      // A chunk still being written has size or offsets 0, or reaches past the end of the file.
      if (size < HEADER_SIZE || constantPools == 0 || metadata == 0 || scanned + size > ch.size()) {
        return chunks;
      }
      chunks.add(new Chunk(scanned, size));
      scanned += size;
    }
  }

  /** Returns the bytes of one complete chunk, ready for {@code new JfrReader(ByteBuffer)}. */
  ByteBuffer read(Chunk chunk) throws IOException {
    if (chunk.size > Integer.MAX_VALUE) {
      throw new IOException("JFR chunk too large: " + chunk.size + " bytes");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) chunk.size);
    if (!readFully(channel(), bytes, chunk.offset)) {
      throw new IOException("JFR chunk at offset " + chunk.offset + " was truncated");
    }
    bytes.flip();
    return bytes;
  }

  /**
   * Reads the next whole chunk of a stream of chunks (a JDK recording's data), ready for {@code new
   * JfrReader(ByteBuffer)}; null at the end of the stream. One chunk at a time, so a long recording
   * is never held in memory at once.
   */
  static ByteBuffer next(InputStream in) throws IOException {
    byte[] header = in.readNBytes(HEADER_SIZE);
    if (header.length == 0) {
      return null;
    }
    ByteBuffer h = ByteBuffer.wrap(header);
    if (header.length < HEADER_SIZE || h.getInt(0) != MAGIC) {
      throw new IOException("not a JFR chunk (" + header.length + " header bytes)");
    }
    long size = h.getLong(8);
    if (size < HEADER_SIZE || size > Integer.MAX_VALUE) {
      throw new IOException("bad JFR chunk size " + size);
    }
    byte[] chunk = new byte[(int) size];
    System.arraycopy(header, 0, chunk, 0, HEADER_SIZE);
    int body = (int) size - HEADER_SIZE;
    if (in.readNBytes(chunk, HEADER_SIZE, body) < body) {
      throw new IOException("JFR chunk of " + size + " bytes was truncated");
    }
    return ByteBuffer.wrap(chunk);
  }

  /** Current length of the file. */
  long size() throws IOException {
    return channel().size();
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private FileChannel channel() throws IOException {
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    }
    return channel;
  }

  private static boolean readFully(FileChannel ch, ByteBuffer buf, long position)
      throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        return false;
      }
      at += n;
    }
    return true;
  }
}
