package io.github.compressredis.core;

import java.util.Arrays;

import io.github.compressredis.core.WireFormatResidualHarness.Result;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A bounded run of {@link WireFormatResidualHarness}: what version 2 promises (FORMAT.md
 * sections 1 and 6) holds on every build.
 */
class WireFormatResidualTests {

	private static final int VALUES = 30_000;

	private final CodecRegistry codecs = new CodecRegistry();

	@AfterEach
	void closeCodecs() {
		this.codecs.close();
	}

	@Test
	void damagedVersion2ValuesNeverReadAsOtherBytesUnlessOnlyThePayloadOfAValueWithoutChecksumWasHit() {
		Result result = WireFormatResidualHarness.damaged(WireFormat.VERSION_2, VALUES, WireFormatResidualHarness.SEED);

		assertThat(result.refused).isGreaterThan(VALUES / 2);
		assertThat(result.silentWithChecksum).isZero();
		assertThat(result.silent - result.silentWithChecksum - result.silentPayloadOnly).isZero();
	}

	@Test
	void foreignValuesThatLookLikeVersion2AreRefused() {
		for (boolean storedOnly : new boolean[] { true, false }) {
			Result result = WireFormatResidualHarness.foreign(WireFormat.VERSION_2, VALUES,
					WireFormatResidualHarness.SEED, storedOnly);

			assertThat(result.refused).isEqualTo(VALUES);
		}
	}

	@Test
	void foreignProtobufMessageReadsAsASliceOfItselfInVersion1ButIsRefusedInVersion2() {
		ValueCompressor reader = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				this.codecs, new CompressionStats());
		// a valid 11-byte protobuf message (field 24, then "proto!") that happens to
		// begin C1 8D
		byte[] version1 = { (byte) 0xC1, (byte) 0x8D, 0x10, 0x00, 0x06, 'p', 'r', 'o', 't', 'o', '!' };
		byte[] version2 = version1.clone();
		version2[2] = 0x20;

		assertThat(new String(reader.decompress(version1))).isEqualTo("proto!");
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> reader.decompress(version2));
	}

	@Test
	void clearedChecksumFlagAndCutValueReadsWrongInVersion1AndIsRefusedInVersion2() {
		// random bytes do not compress: escaped with the stored codec
		byte[] original = CodecRoundTripTests.random(300, 7);
		original[0] = WireFormat.MAGIC_0;
		original[1] = WireFormat.MAGIC_1;
		for (int version : new int[] { WireFormat.VERSION, WireFormat.VERSION_2 }) {
			ValueCompressor compressor = new ValueCompressor(
					new CompressionPolicyHolder(CompressionPolicy.builder().writeVersion(version).build()), this.codecs,
					new CompressionStats());
			byte[] stored = compressor.compress(original);
			assertThat(stored[2] & 0x0F).as("escaped with the stored codec").isZero();
			// the damage of the issue: checksum flag cleared, the value 4 bytes shorter
			byte[] damaged = Arrays.copyOf(stored, stored.length - 4);
			damaged[3] &= ~WireFormat.FLAG_CHECKSUM;
			if (version == WireFormat.VERSION) {
				assertThat(compressor.decompress(damaged)).hasSize(original.length).isNotEqualTo(original);
			}
			else {
				assertThatExceptionOfType(CompressedValueException.class)
					.isThrownBy(() -> compressor.decompress(damaged));
			}
		}
	}

}
