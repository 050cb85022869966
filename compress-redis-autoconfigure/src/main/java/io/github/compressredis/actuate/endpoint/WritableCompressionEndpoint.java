package io.github.compressredis.actuate.endpoint;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/compression} with a write operation that changes the policy at runtime. Only
 * used when {@code compress.redis.endpoint.write-enabled=true}; secure it like any actuator write
 * operation. Unset parameters keep their current value; an invalid change is refused as a whole,
 * recorded as the last refused change, and answered with 400.
 */
@Endpoint(id = "compression")
public class WritableCompressionEndpoint extends CompressionEndpoint {

	public WritableCompressionEndpoint(CompressionPolicyHolder policies, CompressionStats stats) {
		super(policies, stats);
	}

	@WriteOperation
	public CompressionDescriptor updatePolicy(@Nullable String algorithm, @Nullable Integer level,
			@Nullable Long minSize, @Nullable Double maxRatio, @Nullable Boolean checksum) {
		CompressionPolicyHolder policies = getPolicies();
		CompressionPolicy current = policies.policy();
		try {
			CompressionPolicy.Builder builder = current.toBuilder();
			if (algorithm != null) {
				Algorithm chosen = Algorithm.forName(algorithm);
				builder.algorithm(chosen).level((level != null) ? level : ((chosen == current.algorithm()) ? current.level() : null));
			}
			else if (level != null) {
				builder.level(level);
			}
			if (minSize != null) {
				builder.minSize(minSize);
			}
			if (maxRatio != null) {
				builder.maxRatio(maxRatio);
			}
			if (checksum != null) {
				builder.checksum(checksum);
			}
			policies.update(builder.build(), PolicySource.ENDPOINT);
		}
		catch (IllegalArgumentException ex) {
			policies.refuse(PolicySource.ENDPOINT, ex.getMessage());
			throw new InvalidEndpointRequestException("Policy change refused: " + ex.getMessage(), ex.getMessage());
		}
		return compression();
	}

}
