package io.github.compressredis.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The one way a policy is decided, whatever its source (application.yml and Spring Cloud
 * refresh, Nacos, a per-target override, the endpoint): the source's fields are bound as
 * a {@link PolicyPatch} with Boot's {@link Binder} into the types application.yml binds
 * to, put onto a base policy by {@link PolicyPatch#applyTo the one merge rule}, and
 * checked by one {@link PolicyValidator}. A refused change is logged and recorded once,
 * with one reason.
 *
 * @author compress-redis contributors
 */
public final class PolicyPipeline {

	/** The policy fields, as written in application.yml under {@code compress.redis}. */
	public static final List<String> FIELDS = List.of("algorithm", "level", "min-size", "max-ratio", "checksum",
			"max-decompressed-size", "rollout-percent");

	private static final Log logger = LogFactory.getLog(PolicyPipeline.class);

	// the properties of CompressRedisProperties in uniform form (lower case, no dashes)
	private static final String PREFIX = "compress.redis";

	private static final Bindable<CompressRedisProperties.PolicyOverride> PATCH = Bindable
		.of(CompressRedisProperties.PolicyOverride.class);

	private final PolicyValidator validator;

	private final @Nullable String pinningBean;

	private final Object lock = new Object();

	/**
	 * Create a pipeline.
	 * @param validator the checks every policy passes
	 * @param pinningBean the name of a {@link CompressionPolicy} bean that pins the
	 * policy, or {@code null}: while pinned, every change is refused
	 */
	public PolicyPipeline(PolicyValidator validator, @Nullable String pinningBean) {
		this.validator = Objects.requireNonNull(validator, "'validator' must not be null");
		this.pinningBean = pinningBean;
	}

	/**
	 * Return the name of the bean that pins the policy.
	 * @return the bean name, or {@code null} when changes are allowed
	 */
	public @Nullable String getPinningBean() {
		return this.pinningBean;
	}

	/**
	 * Bind fields that arrive at runtime (Nacos content, the endpoint's body), named as
	 * in application.yml without the {@code compress.redis} prefix. Values convert as in
	 * application.yml: sizes accept {@code 192B}, {@code 2KB} or a number of bytes.
	 * @param fields the fields by name
	 * @return the patch
	 * @throws PolicyRefusedException naming an unknown field or a value that cannot be
	 * read
	 */
	public PolicyPatch bind(Map<String, ? extends @Nullable Object> fields) {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource();
		for (Map.Entry<String, ? extends @Nullable Object> field : fields.entrySet()) {
			Object value = field.getValue();
			if (value == null || value.toString().isBlank()) {
				throw new PolicyRefusedException(
						"'" + field.getKey() + "' has no value; leave it out to keep the base policy's value");
			}
			if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
				throw new PolicyRefusedException(
						"'" + field.getKey() + "' must be a single value, not a list or a map");
			}
			try {
				source.put(PREFIX + "." + field.getKey(), value);
			}
			catch (RuntimeException ex) {
				// not a property name at all
				throw unknown(List.of(field.getKey()));
			}
		}
		return bind(new Binder(source), true);
	}

	/**
	 * Bind the policy fields of {@code compress.redis} from the application's
	 * configuration; its other settings (template, cache, ...) are not part of the
	 * policy.
	 * @param binder the binder of the environment
	 * @return the patch onto the default policy
	 * @throws PolicyRefusedException naming a value that cannot be read
	 */
	public PolicyPatch bindApplication(Binder binder) {
		return bind(binder, false);
	}

	/**
	 * Bind one per-target override from the application's configuration, refusing fields
	 * that are not policy fields.
	 * @param binder the binder of the environment
	 * @param name the property name of the override, for example
	 * {@code compress.redis.cache.policies.products}
	 * @return the patch onto the global policy
	 * @throws PolicyRefusedException naming an unknown field or a value that cannot be
	 * read
	 */
	public PolicyPatch bindOverride(Binder binder, String name) {
		return bind(binder, name, true);
	}

	private PolicyPatch bind(Binder binder, boolean strict) {
		return bind(binder, PREFIX, strict);
	}

	private PolicyPatch bind(Binder binder, String name, boolean strict) {
		try {
			CompressRedisProperties.PolicyOverride bound = strict
					? binder.bindOrCreate(name, PATCH, new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
					: binder.bindOrCreate(name, PATCH);
			return bound.toPatch();
		}
		catch (BindException ex) {
			throw refusal(ex, name);
		}
	}

	/**
	 * Return the policy of the application's configuration: its policy fields onto the
	 * defaults.
	 * @param binder the binder of the environment
	 * @return the policy
	 * @throws PolicyRefusedException when the configuration is invalid
	 */
	public CompressionPolicy applicationPolicy(Binder binder) {
		return resolve(CompressionPolicy.defaults(), bindApplication(binder));
	}

	/**
	 * Return the policy of an environment: its policy fields onto the defaults, refusing
	 * a key directly under {@code compress.redis} that is no compress-redis property (a
	 * misspelt policy field), as runtime sources refuse unknown fields.
	 * @param environment the environment
	 * @return the policy
	 * @throws PolicyRefusedException when the configuration is invalid
	 */
	public CompressionPolicy applicationPolicy(Environment environment) {
		checkApplicationFields(ConfigurationPropertySources.get(environment));
		return applicationPolicy(Binder.get(environment));
	}

	/**
	 * Refuse a key under {@code compress.redis}, at any depth, that is no compress-redis
	 * property ({@code compress.redis.algoritm}, {@code compress.redis.template.exlude}),
	 * the way Boot refuses unknown fields of a properties class that does not ignore
	 * them. Keys under {@code compress.redis.nacos} are bound by a properties class of
	 * their own.
	 * @param sources the sources of the application's configuration
	 * @throws PolicyRefusedException naming the unknown keys, or a value that cannot be
	 * read
	 */
	public void checkApplicationFields(Iterable<ConfigurationPropertySource> sources) {
		ConfigurationPropertyName nacos = ConfigurationPropertyName.of(PREFIX + ".nacos");
		List<ConfigurationPropertySource> checked = new ArrayList<>();
		for (ConfigurationPropertySource source : sources) {
			if (source instanceof IterableConfigurationPropertySource && !isNacos(source)) {
				checked.add(source.filter((name) -> !nacos.equals(name) && !nacos.isAncestorOf(name)));
			}
		}
		try {
			new Binder(checked).bind(PREFIX, Bindable.of(CompressRedisProperties.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		}
		catch (BindException ex) {
			if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
				List<String> names = unbound.getUnboundProperties()
					.stream()
					.map((property) -> relative(property.getName(), PREFIX))
					.sorted()
					.toList();
				throw new PolicyRefusedException(((names.size() == 1) ? "unknown field " : "unknown fields ")
						+ names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "))
						+ " under compress.redis; check the spelling against the compress.redis properties (README,"
						+ " or your IDE's completion from the configuration metadata)");
			}
			throw refusal(ex, PREFIX);
		}
	}

	// content imported from Nacos (spring.config.import: nacos:...) is the Nacos layer:
	// the Nacos
	// source refuses its unknown keys without stopping the application
	private static boolean isNacos(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof PropertySource<?> propertySource
				&& propertySource.getClass().getName().startsWith("com.alibaba.cloud.nacos");
	}

	/**
	 * Put a patch onto a base policy by the merge rule and check the result.
	 * @param base the base policy
	 * @param patch the patch
	 * @return the resulting policy
	 * @throws PolicyRefusedException naming the field and the fix when it is refused
	 */
	public CompressionPolicy resolve(CompressionPolicy base, PolicyPatch patch) {
		try {
			return this.validator.validate(patch.applyTo(base));
		}
		catch (PolicyRefusedException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new PolicyRefusedException(ex.getMessage(), ex);
		}
	}

	/**
	 * Change the policy of a holder: compute the new policy from the one in force
	 * (refused while a bean pins the policy), check it, put it in force and log what
	 * changed; or log and record the refusal once and throw it. Changes of one pipeline
	 * are serialized.
	 * @param holder the holder
	 * @param source where the change comes from
	 * @param origin where exactly, for the log and the recorded refusal (for example the
	 * Nacos data ID); empty when the source says it all, as for the endpoint
	 * @param change computes the new policy from the one in force, with this pipeline's
	 * {@link #bind} and {@link #resolve}; throws {@link IllegalArgumentException} to
	 * refuse
	 * @return the version in force afterwards
	 * @throws PolicyRefusedException when the change is refused
	 */
	public PolicyVersion change(CompressionPolicyHolder holder, PolicySource source, String origin,
			UnaryOperator<CompressionPolicy> change) {
		synchronized (this.lock) {
			CompressionPolicy policy;
			try {
				if (this.pinningBean != null) {
					throw new PolicyRefusedException(
							"the policy is pinned by the CompressionPolicy bean '" + this.pinningBean
									+ "'; remove that bean to let " + describe(source) + " change the policy");
				}
				policy = this.validator.validate(change.apply(holder.policy()));
			}
			catch (IllegalArgumentException ex) {
				throw refuse(holder, source, origin, ex.getMessage(), ex);
			}
			PolicyVersion before = holder.current();
			PolicyVersion after = holder.update(policy, source);
			if (after != before && logger.isInfoEnabled()) {
				logger.info("compress-redis policy version " + after.version() + " from " + origin + ": "
						+ after.changes());
			}
			return after;
		}
	}

	/**
	 * Log and record a refused change once; the policy in force stays.
	 * @param holder the holder whose change was refused
	 * @param source where the change came from
	 * @param origin where exactly, empty when the source says it all
	 * @param reason why it was refused
	 * @param cause the failure behind it, if any
	 * @return the refusal, to throw
	 */
	public PolicyRefusedException refuse(CompressionPolicyHolder holder, PolicySource source, String origin,
			String reason, @Nullable Throwable cause) {
		PolicyVersion current = holder.current();
		logger.warn("Refused the compress-redis policy from " + (origin.isEmpty() ? "the " + source.tag() : origin)
				+ ": " + reason + ". The policy in force stays: version " + current.version() + " ("
				+ current.source().tag() + ").");
		holder.refuse(source, origin.isEmpty() ? reason : origin + ": " + reason);
		return (cause instanceof PolicyRefusedException refused) ? refused
				: (cause != null) ? new PolicyRefusedException(reason, cause) : new PolicyRefusedException(reason);
	}

	private static String describe(PolicySource source) {
		return switch (source) {
			case NACOS -> "Nacos";
			case ENDPOINT -> "the endpoint";
			case PROPERTIES -> "a configuration refresh";
			default -> source.tag();
		};
	}

	private static PolicyRefusedException refusal(BindException ex, String name) {
		if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
			return unknown(unbound.getUnboundProperties()
				.stream()
				.map(ConfigurationProperty::getName)
				.map((unboundName) -> relative(unboundName, name))
				.sorted()
				.toList());
		}
		String field = relative(ex.getName(), name);
		ConfigurationProperty property = ex.getProperty();
		String value = (property != null) ? " '" + shorten(String.valueOf(property.getValue())) + "'" : "";
		return new PolicyRefusedException("'" + field + "'" + value + " cannot be read: " + expected(field, ex), ex);
	}

	private static String expected(String field, BindException ex) {
		return switch (field) {
			case "algorithm" ->
				"use one of " + Arrays.stream(Algorithm.values()).map(Algorithm::tag).collect(Collectors.joining(", "));
			case "min-size", "max-decompressed-size" -> "use a size such as 192B, 2KB or 1MB, or a number of bytes";
			case "level", "rollout-percent" -> "use a whole number";
			case "max-ratio" -> "use a number such as 0.9";
			case "checksum" -> "use true or false";
			default -> rootMessage(ex);
		};
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return String.valueOf(cause.getMessage());
	}

	private static PolicyRefusedException unknown(List<String> names) {
		return new PolicyRefusedException(((names.size() == 1) ? "unknown field " : "unknown fields ")
				+ names.stream().limit(5).map((name) -> "'" + shorten(name) + "'").collect(Collectors.joining(", "))
				+ ((names.size() > 5) ? " and " + (names.size() - 5) + " more" : "") + "; a policy may set "
				+ String.join(", ", FIELDS));
	}

	private static String relative(ConfigurationPropertyName name, String prefix) {
		ConfigurationPropertyName parent = ConfigurationPropertyName.of(prefix);
		if (!parent.isAncestorOf(name)) {
			return name.toString();
		}
		List<String> elements = new ArrayList<>();
		for (int i = parent.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			elements.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
		}
		return String.join(".", elements);
	}

	private static String shorten(String value) {
		String line = value.replaceAll("[\\r\\n\\t]", " ");
		return (line.length() <= 40) ? line : line.substring(0, 40) + "...";
	}

}
