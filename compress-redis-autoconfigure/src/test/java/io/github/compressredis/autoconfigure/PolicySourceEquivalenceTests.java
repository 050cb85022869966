package io.github.compressredis.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.autoconfigure.nacos.NacosPolicyUpdater;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds the same patches through every source of a policy (application.yml, Nacos
 * content, a per-target override, the endpoint's write operation) onto the same base and
 * asserts the same policy or the same refusal. The base is application.yml's policy for
 * Nacos, the policy in force for the endpoint and the global policy for a target;
 * application.yml itself is one layer onto the defaults, so it takes part in the rows
 * whose base is the default policy.
 */
class PolicySourceEquivalenceTests {

	private static final CodecRegistry codecs = new CodecRegistry();

	private static final PolicyPipeline pipeline = new PolicyPipeline(new PolicyValidator(codecs::isAvailable), null);

	private static final Map<String, String> DEFAULTS = Map.of();

	private static final Map<String, String> ZSTD_9 = Map.of("level", "9");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class));

	@AfterAll
	static void closeCodecs() {
		codecs.close();
	}

	static Stream<Arguments> patches() {
		return Stream.of(
				// base, patch, the policy or refusal every source decides
				row(ZSTD_9, "algorithm=lz4", "algorithm=lz4, level=0, min-size=192"),
				row(ZSTD_9, "algorithm=zstd", "algorithm=zstd, level=9, min-size=192"),
				row(ZSTD_9, "level=5", "algorithm=zstd, level=5, min-size=192"),
				row(ZSTD_9, "algorithm=gzip,checksum=false", "algorithm=gzip, level=6, min-size=192"),
				row(ZSTD_9, "min-size=2KB", "algorithm=zstd, level=9, min-size=2048"),
				row(ZSTD_9, "min-size=4096", "algorithm=zstd, level=9, min-size=4096"),
				row(ZSTD_9, "max-ratio=0.5", "algorithm=zstd, level=9, min-size=192, max-ratio=0.5"),
				row(DEFAULTS, "algorithm=lz4,level=9", "algorithm=lz4, level=9, min-size=192"),
				row(DEFAULTS, "min-size=192B,max-decompressed-size=1MB", "algorithm=zstd, level=3, min-size=192"),
				row(DEFAULTS, "level=99", "refused: 'level' 99 is out of range for zstd (-22 to 22)"),
				row(ZSTD_9, "algorithm=gzip,level=15", "refused: 'level' 15 is out of range for gzip (0 to 9)"),
				row(DEFAULTS, "algorithm=snappy", "refused: 'algorithm' snappy is not available here"),
				row(DEFAULTS, "min-size=4096,max-decompressed-size=1024",
						"refused: 'max-decompressed-size' 1024 bytes is below 'min-size' 4096 bytes"),
				row(DEFAULTS, "max-ratio=1.5", "refused: 'max-ratio' must be above 0 and at most 1"),
				row(DEFAULTS, "algorithm=brotli", "refused: 'algorithm' 'brotli' cannot be read"),
				row(DEFAULTS, "min-size=4 parsecs", "refused: 'min-size' '4 parsecs' cannot be read"),
				row(DEFAULTS, "algoritm=zstd", "refused: unknown field 'algoritm'"));
	}

	private static Arguments row(Map<String, String> base, String patch, String expected) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String field : patch.split(",")) {
			String[] pair = field.split("=", 2);
			fields.put(pair[0], pair[1]);
		}
		return Arguments.of(base, fields, expected);
	}

	@ParameterizedTest(name = "{1} onto {0}")
	@MethodSource("patches")
	void everySourceDecidesTheSame(Map<String, String> base, Map<String, String> patch, String expected) {
		Map<String, String> decided = new LinkedHashMap<>();
		decided.put("nacos", nacos(base, patch));
		decided.put("endpoint", endpoint(base, patch));
		decided.put("target override", targetOverride(base, patch));
		if (base.isEmpty()) {
			// application.yml: one layer onto the defaults
			decided.put("application.yml", applicationYml(patch));
		}
		assertThat(decided).allSatisfy((source, result) -> assertThat(result).as(source).startsWith(expected));
		if (!expected.startsWith("refused: unknown field") && !expected.contains("cannot be read")) {
			assertThat(decided.values().stream().distinct()).as("identical in every source").hasSize(1);
		}
	}

	private static CompressionPolicy basePolicy(Map<String, String> base) {
		return pipeline.resolve(CompressionPolicy.defaults(), pipeline.bind(base));
	}

	private static String nacos(Map<String, String> base, Map<String, String> patch) {
		MockEnvironment environment = new MockEnvironment();
		base.forEach((key, value) -> environment.setProperty("compress.redis." + key, value));
		CompressionPolicyHolder holder = new CompressionPolicyHolder(basePolicy(base), PolicySource.PROPERTIES);
		NacosPolicyUpdater updater = new NacosPolicyUpdater(holder, environment, pipeline);
		String content = patch.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ": " + entry.getValue())
			.collect(Collectors.joining("\n"));
		if (updater.applyContent("compress-redis.yaml", "DEFAULT_GROUP", content)) {
			return describe(holder.policy());
		}
		String reason = holder.lastRefused().reason();
		return "refused: " + reason.substring(reason.indexOf("': ") + 3);
	}

	private static String endpoint(Map<String, String> base, Map<String, String> patch) {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(basePolicy(base), PolicySource.PROPERTIES);
		CompressionEndpoint endpoint = new CompressionEndpoint(holder, new CompressionStats(), pipeline);
		Map<String, Object> body = new LinkedHashMap<>();
		patch.forEach((key, value) -> body.put(camelCase(key), value));
		WebEndpointResponse<Object> response = endpoint.update(body);
		if (response.getStatus() == 200) {
			return describe(holder.policy());
		}
		return "refused: " + ((CompressionEndpoint.RefusalDescriptor) response.getBody()).reason();
	}

	private static String targetOverride(Map<String, String> base, Map<String, String> patch) {
		CompressionPolicyHolder global = new CompressionPolicyHolder(basePolicy(base), PolicySource.PROPERTIES);
		CompressionTargets targets = new CompressionTargets(new ValueCompressor(global, codecs, new CompressionStats()),
				pipeline, null, null);
		Map<String, String> yml = new LinkedHashMap<>();
		patch.forEach((key, value) -> yml.put("compress.redis.cache.policies.products." + key, value));
		try {
			return describe(targets
				.compressor("cache:products", pipeline.bindOverride(new Binder(new MapConfigurationPropertySource(yml)),
						"compress.redis.cache.policies.products"))
				.getPolicies()
				.policy());
		}
		catch (PolicyRefusedException ex) {
			return "refused: " + ex.getReason();
		}
		catch (IllegalStateException ex) {
			return "refused: " + ((PolicyRefusedException) ex.getCause()).getReason();
		}
	}

	private String applicationYml(Map<String, String> patch) {
		String[] properties = patch.entrySet()
			.stream()
			.map((entry) -> "compress.redis." + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		String[] result = new String[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			if (context.getStartupFailure() == null) {
				result[0] = describe(context.getBean(CompressionPolicyHolder.class).policy());
				return;
			}
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof PolicyRefusedException)) {
				failure = failure.getCause();
			}
			// a value Boot cannot convert fails its own binding of compress.redis, before
			// the pipeline
			result[0] = "refused: " + ((failure != null) ? ((PolicyRefusedException) failure).getReason()
					: "'" + patch.keySet().iterator().next() + "' '" + patch.values().iterator().next()
							+ "' cannot be read (" + context.getStartupFailure().getMessage() + ")");
		});
		return result[0];
	}

	private static String camelCase(String key) {
		StringBuilder name = new StringBuilder();
		boolean upper = false;
		for (char c : key.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				name.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return name.toString();
	}

	private static String describe(CompressionPolicy policy) {
		return policy.toString();
	}

}
