package io.github.compressredis.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.CRC32C;

import com.github.luben.zstd.ZstdException;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.codec.ZstdStreams;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormatException;
import org.jspecify.annotations.Nullable;

/**
 * The decoded bytes of a streamed zstd value on their way to a reader: counted, fed to
 * the checksum, and cut off (as a fault) at the first byte past the declared length or
 * the first decoding error. What the reader leaves is drained, so that the length and the
 * checksum cover every byte before what the reader made of them is used.
 *
 * @author compress-redis contributors
 */
final class VerifyingInputStream extends InputStream {

	private final InputStream decoded;

	private final int declaredLength;

	private final @Nullable CRC32C crc;

	private final byte[] one = new byte[1];

	private long count;

	private @Nullable DecodeFault fault;

	private @Nullable String faultMessage;

	private @Nullable Throwable cause;

	private VerifyingInputStream(InputStream decoded, int declaredLength, @Nullable CRC32C crc) {
		this.decoded = decoded;
		this.declaredLength = declaredLength;
		this.crc = crc;
	}

	/**
	 * Decode a zstd value whose header passed every check but the decoded bytes' into a
	 * reader.
	 * @param stored the stored value
	 * @param header its header (zstd, no dictionary, frame checked against the declared
	 * length)
	 * @param reader what reads the decoded bytes
	 * @return what the reader returned, or what it threw (anything, an {@link Error} or a
	 * checked exception thrown undeclared included), once the bytes are verified
	 * @throws WireFormatException if the bytes do not decode to the declared length and
	 * checksum (with what the reader threw, if anything, as its cause, else the decoder's
	 * error)
	 */
	static Read read(byte[] stored, Header header, Function<? super InputStream, ?> reader) {
		CRC32C crc = null;
		if (header.checksumPresent()) {
			crc = new CRC32C();
			if (header.hasHeaderCheck()) {
				// version 2: the check covers the header's bytes, then the decoded ones
				crc.update(stored, 0, header.checkOffset());
			}
		}
		VerifyingInputStream in = new VerifyingInputStream(
				ZstdStreams.decoder(stored, header.payloadOffset(), header.payloadLength(stored.length)),
				header.originalLength(), crc);
		try {
			Object value = null;
			Throwable failure = null;
			try {
				value = reader.apply(in);
			}
			catch (Throwable ex) {
				// anything: an Error of the application's own parsing, or a checked
				// exception a Kotlin lambda throws undeclared; the bytes are checked
				// first
				failure = ex;
			}
			in.drain();
			Throwable cause = (failure != null) ? failure : in.cause;
			if (in.fault != null) {
				throw new WireFormatException(in.fault, in.faultMessage, cause);
			}
			if (in.count != header.originalLength()) {
				throw new WireFormatException(DecodeFault.LENGTH_MISMATCH,
						"decoded to " + in.count + " bytes but the header declares " + header.originalLength(), cause);
			}
			if (crc != null && (int) crc.getValue() != header.checksum()) {
				throw new WireFormatException(DecodeFault.CHECKSUM_MISMATCH,
						"the stored CRC-32C does not match "
								+ (header.hasHeaderCheck() ? "the header and the decoded bytes" : "the decoded bytes"),
						cause);
			}
			return new Read(value, failure);
		}
		finally {
			in.release();
		}
	}

	@Override
	public int read() throws IOException {
		return (read(this.one, 0, 1) < 0) ? -1 : (this.one[0] & 0xFF);
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (this.fault != null) {
			throw new IOException("the value cannot be decoded: " + this.faultMessage);
		}
		// a reader's bad arguments are its own bug, not a damaged value
		Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "'buffer' must not be null").length);
		int n;
		try {
			n = this.decoded.read(buffer, offset, length);
		}
		catch (IOException | ZstdException ex) {
			fail(DecodeFault.CORRUPT, "zstd payload cannot be decoded: " + ex.getMessage(), ex);
			throw new IOException("the value cannot be decoded: " + this.faultMessage, ex);
		}
		if (n > 0) {
			this.count += n;
			if (this.count > this.declaredLength) {
				fail(DecodeFault.LENGTH_MISMATCH,
						"decodes to more than the " + this.declaredLength + " bytes the header declares", null);
				throw new IOException(this.faultMessage);
			}
			if (this.crc != null) {
				this.crc.update(buffer, offset, n);
			}
		}
		return n;
	}

	/**
	 * Read what the reader left, so that the length and checksum cover every byte.
	 */
	private void drain() {
		byte[] rest = new byte[8192];
		try {
			while (this.fault == null && read(rest, 0, rest.length) >= 0) {
				// counted and checked by read
			}
		}
		catch (IOException ex) {
			// recorded as the fault
		}
	}

	private void fail(DecodeFault fault, String message, @Nullable Throwable cause) {
		if (this.fault == null) {
			this.fault = fault;
			this.faultMessage = message;
			this.cause = cause;
		}
	}

	/**
	 * A reader may close its source once it has read a value: the rest is still drained.
	 */
	@Override
	public void close() {
	}

	private void release() {
		try {
			this.decoded.close();
		}
		catch (IOException ex) {
			// nothing to release that matters: the payload is in memory
		}
	}

	/**
	 * What a reader made of bytes that decoded exactly.
	 *
	 * @param value what it returned
	 * @param failure what it threw instead (anything, checked or not), {@code null} if it
	 * returned
	 */
	record Read(@Nullable Object value, @Nullable Throwable failure) {
	}

}
