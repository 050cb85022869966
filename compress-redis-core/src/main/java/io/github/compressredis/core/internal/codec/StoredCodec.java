package io.github.compressredis.core.internal.codec;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;

/**
 * Codec id 0: the payload is the original bytes. Written when a plain value happens to
 * begin with the magic, so that it cannot be mistaken for a compressed one.
 *
 * @author compress-redis contributors
 */
public final class StoredCodec extends Codec {

	@Override
	public Algorithm algorithm() {
		return Algorithm.NONE;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		if (source.length > maxPayloadLength) {
			return null;
		}
		byte[] output = new byte[headerLength + source.length];
		System.arraycopy(source, 0, output, headerLength, source.length);
		return output;
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		checkDeclaredLength(source, offset, length, target.length);
		System.arraycopy(source, offset, target, 0, length);
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		if (length != declaredLength) {
			// shorter: the value was cut; longer: bytes after the payload, which
			// FORMAT.md calls corrupt
			throw fault((length < declaredLength) ? DecodeFault.TRUNCATED : DecodeFault.CORRUPT,
					"holds " + length + " bytes but the header declares " + declaredLength);
		}
	}

}
