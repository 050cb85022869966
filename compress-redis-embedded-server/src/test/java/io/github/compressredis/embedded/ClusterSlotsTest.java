package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class ClusterSlotsTest {

	@Test
	void crc16MatchesTheXmodemCheckValue() {
		byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
		assertThat(ClusterSlots.crc16(check, 0, check.length)).isEqualTo(0x31C3);
	}

	@Test
	void slotsOfWellKnownKeysMatchRedis() {
		assertThat(ClusterSlots.slot("foo")).isEqualTo(12182);
		assertThat(ClusterSlots.slot("bar")).isEqualTo(5061);
		assertThat(ClusterSlots.slot("")).isZero();
	}

	@Test
	void keysSharingAHashTagShareASlot() {
		assertThat(ClusterSlots.slot("{user1000}.following")).isEqualTo(ClusterSlots.slot("{user1000}.followers"))
			.isEqualTo(ClusterSlots.slot("user1000"));
		assertThat(ClusterSlots.slot("foo{bar}{zap}")).isEqualTo(ClusterSlots.slot("bar"));
		assertThat(ClusterSlots.slot("foo{{bar}}zap")).isEqualTo(ClusterSlots.slot("{bar"));
	}

	@Test
	void anEmptyOrUnclosedHashTagHashesTheWholeKey() {
		byte[] emptyTag = "foo{}{bar}".getBytes(StandardCharsets.UTF_8);
		assertThat(ClusterSlots.slot("foo{}{bar}")).isEqualTo(ClusterSlots.crc16(emptyTag, 0, emptyTag.length) % 16384);
		byte[] unclosed = "foo{bar".getBytes(StandardCharsets.UTF_8);
		assertThat(ClusterSlots.slot("foo{bar")).isEqualTo(ClusterSlots.crc16(unclosed, 0, unclosed.length) % 16384);
	}

	@Test
	void binaryKeysAreHashedByteForByte() {
		byte[] key = { (byte) 0xFF, 0x00, (byte) 0x80, '{', 'x', '}' };
		assertThat(ClusterSlots.slot(key)).isEqualTo(ClusterSlots.slot("x"));
		assertThat(ClusterSlots.slot(new byte[] { (byte) 0xFF, 0x00, (byte) 0x80 })).isBetween(0, 16383);
	}

	@Test
	void aNullKeyIsRejectedByName() {
		assertThatNullPointerException().isThrownBy(() -> ClusterSlots.slot((byte[]) null)).withMessageContaining("'key'");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisClusterProcess.start(2))
			.withMessage("'masters' must be at least 3 but was 2");
	}
}
