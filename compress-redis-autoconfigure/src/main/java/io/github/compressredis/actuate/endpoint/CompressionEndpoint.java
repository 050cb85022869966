package io.github.compressredis.actuate.endpoint;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.CompressionTargets;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.autoconfigure.PolicyRefusedException;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionaryStatus;
import io.github.compressredis.core.dictionary.TrainingOutcome;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import io.github.compressredis.core.policy.RefusedChange;
import io.github.compressredis.core.stats.BreakerStatus;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/compression}: the policy in force with its version and history, the
 * last refused change, hit ratios, bytes saved, ratio, per-codec counts, latency
 * percentiles, failures by reason, the breaker's state with fallbacks by reason, and each
 * target's trained dictionary. Read-only by default;
 * {@code management.endpoint.compression.access=unrestricted} enables the write
 * operation, which changes the policy in force through the {@link PolicyPipeline}: the
 * fields it sets go onto the policy in force, an invalid change is refused as a whole,
 * recorded as the last refused change, and answered with 400 and its reason.
 *
 * @author compress-redis contributors
 */
@Endpoint(id = CompressionEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class CompressionEndpoint {

	/** The endpoint's id. */
	public static final String ID = "compression";

	/**
	 * The fields the write operation accepts, by the name of the policy field each sets.
	 */
	static final Map<String, String> WRITE_FIELDS;

	static {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("algorithm", "algorithm");
		fields.put("level", "level");
		fields.put("minSize", "min-size");
		fields.put("maxRatio", "max-ratio");
		fields.put("checksum", "checksum");
		fields.put("maxDecompressedSize", "max-decompressed-size");
		fields.put("rolloutPercent", "rollout-percent");
		WRITE_FIELDS = Collections.unmodifiableMap(fields);
	}

	private final CompressionPolicyHolder policies;

	private final CompressionStats stats;

	private final PolicyPipeline pipeline;

	private volatile @Nullable DictionaryRegistry dictionaries;

	private volatile @Nullable CompressionTargets targets;

	private volatile LatencyPercentiles latency = LatencyPercentiles.NONE;

	/**
	 * Create an endpoint.
	 * @param policies the policy in force
	 * @param stats the statistics
	 * @param pipeline decides the policy of a write
	 */
	public CompressionEndpoint(CompressionPolicyHolder policies, CompressionStats stats, PolicyPipeline pipeline) {
		this.policies = Objects.requireNonNull(policies, "'policies' must not be null");
		this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
		this.pipeline = Objects.requireNonNull(pipeline, "'pipeline' must not be null");
	}

	/**
	 * Show the dictionaries of a registry too.
	 * @param dictionaries the registry, {@code null} for none
	 */
	public void setDictionaries(@Nullable DictionaryRegistry dictionaries) {
		this.dictionaries = dictionaries;
	}

	/**
	 * Show each named target too: its policy, breaker, writes and bytes saved.
	 * @param targets the targets, {@code null} for none
	 */
	public void setTargets(@Nullable CompressionTargets targets) {
		this.targets = targets;
	}

	/**
	 * Show latency percentiles read from these (Micrometer's timers).
	 * @param latency where the percentiles come from
	 */
	public void setLatency(LatencyPercentiles latency) {
		this.latency = java.util.Objects.requireNonNull(latency, "'latency' must not be null");
	}

	/**
	 * Change the policy in force: the fields given go onto it by the merge rule of every
	 * source (an algorithm without a level takes that algorithm's default level, the same
	 * algorithm keeps the level), and the result is checked as every source's is. Sizes
	 * accept {@code 192B}, {@code 2KB} or a number of bytes. The change lasts until the
	 * next change from any source.
	 * @param algorithm zstd, lz4, gzip, deflate, snappy or none
	 * @param level the level
	 * @param minSize values shorter than this are stored plain
	 * @param maxRatio the largest compressed-to-original ratio kept
	 * @param checksum whether to store a CRC-32C
	 * @param maxDecompressedSize the largest size a reader decodes
	 * @param rolloutPercent the share of writes, 1 to 100, that use the changed policy
	 * @return 200 with the endpoint's content, or 400 with the reason the change was
	 * refused
	 */
	@WriteOperation
	public WebEndpointResponse<Object> updatePolicy(@Nullable Object algorithm, @Nullable Object level,
			@Nullable Object minSize, @Nullable Object maxRatio, @Nullable Object checksum,
			@Nullable Object maxDecompressedSize, @Nullable Object rolloutPercent) {
		Map<String, Object> body = new LinkedHashMap<>();
		Object[] values = { algorithm, level, minSize, maxRatio, checksum, maxDecompressedSize, rolloutPercent };
		int i = 0;
		for (String name : WRITE_FIELDS.keySet()) {
			if (values[i] != null) {
				body.put(name, values[i]);
			}
			i++;
		}
		return update(body);
	}

	/**
	 * Change the policy in force from a request body, named as the write operation's
	 * parameters; a field it does not know is refused.
	 * @param body the fields by name
	 * @return 200 with the endpoint's content, or 400 with the reason the change was
	 * refused
	 */
	public WebEndpointResponse<Object> update(Map<String, ? extends @Nullable Object> body) {
		try {
			this.pipeline.change(this.policies, PolicySource.ENDPOINT, "",
					(inForce) -> this.pipeline.resolve(inForce, this.pipeline.bind(fields(body))));
		}
		catch (PolicyRefusedException ex) {
			return new WebEndpointResponse<>(
					new RefusalDescriptor(ex.getReason(), new PolicyDescriptor(this.policies.current())),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		return new WebEndpointResponse<>(compression(), WebEndpointResponse.STATUS_OK);
	}

	private static Map<String, Object> fields(Map<String, ? extends @Nullable Object> body) {
		List<String> unknown = body.keySet()
			.stream()
			.filter((name) -> !WRITE_FIELDS.containsKey(name))
			.sorted()
			.toList();
		if (!unknown.isEmpty()) {
			throw new PolicyRefusedException(((unknown.size() == 1) ? "unknown field " : "unknown fields ")
					+ unknown.stream().limit(5).map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
					+ "; the body may set " + String.join(", ", WRITE_FIELDS.keySet()));
		}
		if (body.isEmpty()) {
			throw new PolicyRefusedException(
					"the body sets no field; it may set " + String.join(", ", WRITE_FIELDS.keySet()));
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		body.forEach((name, value) -> fields.put(WRITE_FIELDS.get(name), value));
		return fields;
	}

	protected CompressionPolicyHolder getPolicies() {
		return this.policies;
	}

	@ReadOperation
	public CompressionDescriptor compression() {
		CompressionStats.Snapshot snapshot = this.stats.snapshot();
		Map<String, Long> outcomes = tagged(snapshot.writesByOutcome(), WriteOutcome.values(), WriteOutcome::tag);
		Map<String, Long> writesByCodec = tagged(snapshot.compressedWritesByCodec(), Algorithm.values(),
				Algorithm::tag);
		Map<String, Long> readsByCodec = tagged(snapshot.compressedReadsByCodec(), Algorithm.values(), Algorithm::tag);
		Map<String, Long> failures = tagged(snapshot.readFailuresByFault(), DecodeFault.values(), DecodeFault::tag);
		WritesDescriptor writes = new WritesDescriptor(snapshot.writes(),
				snapshot.writesByOutcome().get(WriteOutcome.COMPRESSED), snapshot.writeHitRatio(), outcomes,
				writesByCodec, snapshot.escapedWrites());
		ReadsDescriptor reads = new ReadsDescriptor(snapshot.compressedReads() + snapshot.plainReads(),
				snapshot.compressedReads(), snapshot.plainReads(), snapshot.readHitRatio(), readsByCodec, failures);
		BytesDescriptor bytes = new BytesDescriptor(snapshot.writtenOriginalBytes(), snapshot.writtenStoredBytes(),
				snapshot.bytesSaved(), snapshot.averageRatio());
		LatencyDescriptor latency = new LatencyDescriptor(
				latency(this.stats.compressAttempts(), this.latency.percentiles(false)),
				latency(snapshot.compressedReads(), this.latency.percentiles(true)));
		List<PolicyChangeDescriptor> history = this.policies.history()
			.stream()
			.map(PolicyChangeDescriptor::new)
			.toList();
		RefusedChange refused = this.policies.lastRefused();
		ResilienceDescriptor resilience = new ResilienceDescriptor(new BreakerDescriptor(snapshot.breaker()),
				tagged(snapshot.fallbacksByReason(), FallbackReason.values(), FallbackReason::tag),
				tagged(snapshot.breakerTripsByReason(), FallbackReason.values(), FallbackReason::tag),
				snapshot.cacheFailOpens());
		return new CompressionDescriptor(new PolicyDescriptor(this.policies.current()), writes, reads, bytes, latency,
				history, (refused != null) ? new RefusedChangeDescriptor(refused) : null, resilience,
				dictionaries(this.dictionaries, this.policies.current().policy().level()), targets(this.targets));
	}

	private static List<CompressionTargetDescriptor> targets(@Nullable CompressionTargets targets) {
		if (targets == null) {
			return List.of();
		}
		return targets.targets().stream().map(CompressionTargetDescriptor::new).toList();
	}

	private static @Nullable DictionariesDescriptor dictionaries(@Nullable DictionaryRegistry registry,
			int policyLevel) {
		if (registry == null) {
			return null;
		}
		Map<String, Long> trainings = new java.util.LinkedHashMap<>();
		for (TrainingOutcome outcome : TrainingOutcome.values()) {
			trainings.put(outcome.tag(), registry.trainings(outcome));
		}
		List<TargetDescriptor> targets = registry.targets()
			.stream()
			.map((target) -> new TargetDescriptor(target.status()))
			.toList();
		return new DictionariesDescriptor(registry.settings().writeLevel(policyLevel),
				registry.settings().dictionarySize(), java.util.Collections.unmodifiableMap(trainings),
				registry.adoptions(), registry.loadedCount(), targets);
	}

	private static PercentilesDescriptor latency(long count, double[] nanos) {
		return new PercentilesDescriptor(count, micros(nanos[0]), micros(nanos[1]), micros(nanos[2]));
	}

	private static double micros(double nanos) {
		return Math.round(nanos / 100.0) / 10.0;
	}

	private static <E extends Enum<E>> Map<String, Long> tagged(Map<E, Long> counts, E[] keys,
			java.util.function.Function<E, String> tag) {
		Map<String, Long> result = new java.util.LinkedHashMap<>();
		for (E key : keys) {
			result.put(tag.apply(key), counts.getOrDefault(key, 0L));
		}
		return java.util.Collections.unmodifiableMap(result);
	}

	/**
	 * The whole endpoint response.
	 *
	 * @param policy the policy in force
	 * @param writes what happened to values written
	 * @param reads what happened to values read
	 * @param bytes bytes written before and after compression
	 * @param latency latency percentiles in microseconds
	 * @param history the last policy versions, oldest first
	 * @param lastRefused the last refused change, if any
	 * @param resilience the breaker and the fallbacks
	 * @param dictionaries the trained dictionaries, when they are on
	 * @param targets each named target (template, cache, session) with its own policy and
	 * breaker
	 */
	public record CompressionDescriptor(PolicyDescriptor policy, WritesDescriptor writes, ReadsDescriptor reads,
			BytesDescriptor bytes, LatencyDescriptor latency, List<PolicyChangeDescriptor> history,
			@Nullable RefusedChangeDescriptor lastRefused, ResilienceDescriptor resilience,
			@Nullable DictionariesDescriptor dictionaries, List<CompressionTargetDescriptor> targets) {
	}

	/**
	 * One named target.
	 *
	 * @param name the target, for example {@code cache:products},
	 * {@code template:redisTemplate}, {@code session}, or {@code cache} for caches
	 * created at runtime
	 * @param policy its policy, with its own version
	 * @param derivedFrom the version of the global policy it was last derived from
	 * @param override the fields of its policy that differ from the global policy
	 * @param breaker its breaker
	 * @param writesByOutcome values written, by outcome
	 * @param bytesSaved bytes not stored thanks to compression
	 * @param refused global changes its override made invalid, which it did not follow
	 * @param lastRefused the last of them
	 */
	public record CompressionTargetDescriptor(String name, PolicyDescriptor policy, long derivedFrom, String override,
			BreakerDescriptor breaker, Map<String, Long> writesByOutcome, long bytesSaved, long refused,
			@Nullable RefusedChangeDescriptor lastRefused) {

		CompressionTargetDescriptor(CompressionTargets.Target target) {
			this(target.name(), new PolicyDescriptor(target.policies().current()), target.derivedFrom(),
					target.override().toString(), new BreakerDescriptor(target.breakerStatus()),
					tagged(target.stats().snapshot().writesByOutcome(), WriteOutcome.values(), WriteOutcome::tag),
					target.stats().snapshot().bytesSaved(), target.policies().refusedCount(),
					(target.lastRefused() != null) ? new RefusedChangeDescriptor(target.lastRefused()) : null);
		}

	}

	/**
	 * Trained dictionaries.
	 *
	 * @param level the zstd level values are written at with a dictionary
	 * @param size the size of a newly trained dictionary in bytes
	 * @param trainings training runs of this instance, by outcome
	 * @param adoptions dictionaries adopted from Redis (published by another instance or
	 * before a restart)
	 * @param loaded dictionaries held in memory (in use, or still read by older values)
	 * @param targets each cache and template with its dictionary
	 */
	public record DictionariesDescriptor(int level, int size, Map<String, Long> trainings, long adoptions, int loaded,
			List<TargetDescriptor> targets) {
	}

	/**
	 * One target (a cache or a template) and the dictionary its writes use.
	 *
	 * @param target the target, for example {@code cache:products} or
	 * {@code template:redisTemplate}
	 * @param id the id of the dictionary in use, 0 for none yet
	 * @param size its size in bytes
	 * @param trainedAt when it was trained
	 * @param samples how many samples it was trained on
	 * @param ratioAtTraining held-out stored/original ratio with it when it was trained
	 * @param ratio stored/original ratio of the last held-out samples with the dictionary
	 * in use
	 * @param ratioWithout the same samples without a dictionary
	 * @param checkedAt when held-out samples were last measured
	 * @param samplesHeld samples in the reservoir now
	 * @param trainings training runs by this instance (the first training and retrains on
	 * drift)
	 * @param published dictionaries this instance published
	 * @param adoptions dictionaries adopted from Redis
	 */
	public record TargetDescriptor(String target, int id, int size, @Nullable Instant trainedAt, int samples,
			@Nullable Double ratioAtTraining, @Nullable Double ratio, @Nullable Double ratioWithout,
			@Nullable Instant checkedAt, int samplesHeld, long trainings, long published, long adoptions) {

		TargetDescriptor(DictionaryStatus status) {
			this(status.target(), (status.dictionary() != null) ? status.dictionary().id() : 0,
					(status.dictionary() != null) ? status.dictionary().size() : 0,
					(status.dictionary() != null) ? status.dictionary().trainedAt() : null,
					(status.dictionary() != null) ? status.dictionary().samples() : 0,
					(status.dictionary() != null) ? finite(status.dictionary().ratio()) : null,
					finite((status.dictionary() != null && Double.isNaN(status.ratio())) ? status.dictionary().ratio()
							: status.ratio()),
					finite((status.dictionary() != null && Double.isNaN(status.plainRatio()))
							? status.dictionary().plainRatio() : status.plainRatio()),
					status.checkedAt(), status.samples(), status.trainings(), status.published(), status.adoptions());
		}

		private static @Nullable Double finite(double value) {
			return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
		}

	}

	/**
	 * What kept writes and cache reads going.
	 *
	 * @param breaker the compression breaker
	 * @param fallbacksByReason values not written the way the policy asks, by reason
	 * @param breakerTripsByReason breaker trips, by reason
	 * @param cacheFailOpen cache entries that could not be decoded and were treated as
	 * misses
	 */
	public record ResilienceDescriptor(BreakerDescriptor breaker, Map<String, Long> fallbacksByReason,
			Map<String, Long> breakerTripsByReason, long cacheFailOpen) {
	}

	/**
	 * The compression breaker.
	 *
	 * @param state disabled, closed, degraded, half-open or open
	 * @param since when it entered the state
	 * @param reason why it last tripped (slow or failing), if it ever did
	 * @param detail the measurement behind the state
	 */
	public record BreakerDescriptor(String state, Instant since, @Nullable String reason, String detail) {

		BreakerDescriptor(BreakerStatus status) {
			this(status.state().tag(), status.since(), (status.reason() != null) ? status.reason().tag() : null,
					status.detail());
		}

	}

	/**
	 * A refused policy change.
	 *
	 * @param reason why it was refused
	 * @param policy the policy in force, which stays
	 */
	public record RefusalDescriptor(String reason, PolicyDescriptor policy) {
	}

	/**
	 * The policy in force.
	 *
	 * @param algorithm the algorithm for new writes
	 * @param level its level
	 * @param minSize the size in bytes below which values are stored plain
	 * @param maxRatio the largest compressed-to-original ratio kept
	 * @param checksum whether a CRC-32C is stored
	 * @param maxDecompressedSize the largest declared size accepted on read, in bytes
	 * @param rolloutPercent the share of writes, 1 to 100, that use this policy while it
	 * is rolled out
	 * @param version the policy version
	 * @param source where it came from
	 * @param changedAt when it took effect
	 */
	public record PolicyDescriptor(String algorithm, int level, int minSize, double maxRatio, boolean checksum,
			int maxDecompressedSize, int rolloutPercent, long version, String source, Instant changedAt) {

		PolicyDescriptor(PolicyVersion version) {
			this(version.policy().algorithm().tag(), version.policy().level(), version.policy().minSize(),
					version.policy().maxRatio(), version.policy().checksum(), version.policy().maxDecompressedSize(),
					version.policy().rolloutPercent(), version.version(), version.source().tag(), version.changedAt());
		}

	}

	/**
	 * Values written.
	 *
	 * @param total all values written
	 * @param compressed values stored compressed
	 * @param hitRatio share of values stored compressed
	 * @param byOutcome values by outcome (compressed or why stored plain)
	 * @param compressedByCodec compressed values by codec
	 * @param escaped plain values framed because they begin with the magic
	 */
	public record WritesDescriptor(long total, long compressed, double hitRatio, Map<String, Long> byOutcome,
			Map<String, Long> compressedByCodec, long escaped) {
	}

	/**
	 * Values read.
	 *
	 * @param total values read successfully
	 * @param compressed compressed values read
	 * @param plain plain values read
	 * @param hitRatio share of values read that were compressed
	 * @param compressedByCodec compressed values read by codec
	 * @param failuresByReason values that could not be decoded, by reason
	 */
	public record ReadsDescriptor(long total, long compressed, long plain, double hitRatio,
			Map<String, Long> compressedByCodec, Map<String, Long> failuresByReason) {
	}

	/**
	 * Bytes written.
	 *
	 * @param original bytes the serializers produced
	 * @param stored bytes stored in Redis
	 * @param saved bytes not stored thanks to compression
	 * @param averageRatio stored over original bytes of the values stored compressed
	 */
	public record BytesDescriptor(long original, long stored, long saved, double averageRatio) {
	}

	/**
	 * Latency of compression and decompression.
	 *
	 * @param compress compression attempts
	 * @param decompress decodes of compressed values
	 */
	public record LatencyDescriptor(PercentilesDescriptor compress, PercentilesDescriptor decompress) {
	}

	/**
	 * Where the endpoint reads latency percentiles: the compression timers, over their
	 * window.
	 */
	@FunctionalInterface
	public interface LatencyPercentiles {

		/** No percentiles known (no meter registry): every percentile reads 0. */
		LatencyPercentiles NONE = (decompress) -> new double[3];

		/**
		 * Return the percentiles of compression or decompression.
		 * @param decompress whether of decompression
		 * @return p50, p95 and p99 in nanoseconds
		 */
		double[] percentiles(boolean decompress);

	}

	/**
	 * Percentiles in microseconds, each the slowest among the timer's series (targets,
	 * codecs, outcomes) over Micrometer's distribution window
	 * ({@code management.metrics.distribution.expiry}, 2 minutes by default); 0 without a
	 * meter registry.
	 *
	 * @param count number of recorded operations
	 * @param p50Micros median in microseconds
	 * @param p95Micros 95th percentile in microseconds
	 * @param p99Micros 99th percentile in microseconds
	 */
	public record PercentilesDescriptor(long count, double p50Micros, double p95Micros, double p99Micros) {
	}

	/**
	 * One policy version.
	 *
	 * @param version the version
	 * @param source where it came from
	 * @param changedAt when it took effect
	 * @param changes what changed from the previous version
	 * @param policy the policy, as a summary
	 */
	public record PolicyChangeDescriptor(long version, String source, Instant changedAt, String changes,
			String policy) {

		PolicyChangeDescriptor(PolicyVersion version) {
			this(version.version(), version.source().tag(), version.changedAt(), version.changes(),
					version.policy().toString());
		}

	}

	/**
	 * A refused change.
	 *
	 * @param source where it came from
	 * @param refusedAt when
	 * @param reason why it was refused
	 */
	public record RefusedChangeDescriptor(String source, Instant refusedAt, String reason) {

		RefusedChangeDescriptor(RefusedChange refused) {
			this(refused.source().tag(), refused.refusedAt(), refused.reason());
		}

	}

}
