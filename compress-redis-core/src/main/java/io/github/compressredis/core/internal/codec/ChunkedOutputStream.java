package io.github.compressredis.core.internal.codec;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * Collects what is written into a list of fixed-size chunks, so that a value of any size
 * exists in memory without one array of its full size (and without the copies a growing
 * array makes). Chunks are small enough for the garbage collector to treat as ordinary
 * objects. Not thread-safe.
 *
 * @author compress-redis contributors
 */
public final class ChunkedOutputStream extends OutputStream {

	/** The size of every chunk but the last. */
	public static final int CHUNK_SIZE = 128 * 1024;

	private final List<byte[]> chunks = new ArrayList<>();

	private byte[] current = new byte[0];

	private int position;

	private long length;

	@Override
	public void write(int b) {
		if (this.position == this.current.length) {
			next();
		}
		this.current[this.position++] = (byte) b;
		this.length++;
	}

	@Override
	public void write(byte[] bytes, int offset, int count) {
		Objects.checkFromIndexSize(offset, count, bytes.length);
		int remaining = count;
		int from = offset;
		while (remaining > 0) {
			if (this.position == this.current.length) {
				next();
			}
			int n = Math.min(remaining, this.current.length - this.position);
			System.arraycopy(bytes, from, this.current, this.position, n);
			this.position += n;
			from += n;
			remaining -= n;
		}
		this.length += count;
	}

	/**
	 * Write what a buffer has left.
	 * @param buffer the buffer, read to its limit
	 */
	void write(ByteBuffer buffer) {
		int count = buffer.remaining();
		while (buffer.hasRemaining()) {
			if (this.position == this.current.length) {
				next();
			}
			int n = Math.min(buffer.remaining(), this.current.length - this.position);
			buffer.get(this.current, this.position, n);
			this.position += n;
		}
		this.length += count;
	}

	private void next() {
		this.current = new byte[CHUNK_SIZE];
		this.chunks.add(this.current);
		this.position = 0;
	}

	/**
	 * Return the number of bytes written.
	 * @return the length
	 */
	public long length() {
		return this.length;
	}

	int chunkCount() {
		return this.chunks.size();
	}

	byte[] chunk(int index) {
		return this.chunks.get(index);
	}

	int chunkLength(int index) {
		return (index < this.chunks.size() - 1) ? CHUNK_SIZE : this.position;
	}

	/**
	 * Return the first bytes written, for a check of what the value begins with.
	 * @param max the most bytes to return
	 * @return a new array of the first {@code max} bytes, or of all of them if fewer
	 */
	public byte[] head(int max) {
		byte[] head = new byte[(int) Math.min(max, this.length)];
		if (head.length > 0) {
			System.arraycopy(this.chunks.get(0), 0, head, 0, Math.min(head.length, chunkLength(0)));
		}
		return head;
	}

	/**
	 * Feed every byte written to a checksum.
	 * @param checksum the checksum to update
	 */
	public void update(Checksum checksum) {
		for (int i = 0; i < this.chunks.size(); i++) {
			checksum.update(this.chunks.get(i), 0, chunkLength(i));
		}
	}

	/**
	 * Return the bytes written as one array (for a value that takes the byte-array path).
	 * @return a new array of {@link #length()} bytes
	 */
	public byte[] toByteArray() {
		return toByteArray(0);
	}

	/**
	 * Return the bytes written as one array, after {@code offset} zero bytes.
	 * @param offset the room to leave at the front
	 * @return a new array of {@code offset} + {@link #length()} bytes
	 */
	byte[] toByteArray(int offset) {
		byte[] bytes = new byte[Math.toIntExact(offset + this.length)];
		int pos = offset;
		for (int i = 0; i < this.chunks.size(); i++) {
			int n = chunkLength(i);
			System.arraycopy(this.chunks.get(i), 0, bytes, pos, n);
			pos += n;
		}
		return bytes;
	}

}
