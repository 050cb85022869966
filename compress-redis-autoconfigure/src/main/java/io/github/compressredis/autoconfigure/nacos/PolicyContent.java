package io.github.compressredis.autoconfigure.nacos;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.PolicyPipeline;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The policy keys of one Nacos content, parsed from YAML, JSON or properties, each key
 * bare ({@code algorithm}) or under {@code compress.redis}; the policy pipeline binds
 * them as a patch. Every failure is an {@link IllegalArgumentException} whose message
 * names the key and never quotes more of the content than one shortened value.
 *
 * @author compress-redis contributors
 */
final class PolicyContent {

	/**
	 * Content longer than this is refused before parsing: a policy is a few lines (a
	 * safety bound).
	 */
	static final int MAX_LENGTH = 64 * 1024;

	/** The keys a content may hold, in their canonical form. */
	static final List<String> KEYS = PolicyPipeline.FIELDS;

	private static final String PREFIX = "compress.redis.";

	private static final Map<String, String> KEYS_BY_UNIFORM_NAME = KEYS.stream()
		.collect(Collectors.toUnmodifiableMap(PolicyContent::uniform, Function.identity()));

	private static final int SHOWN_LENGTH = 40;

	private static final PolicyContent EMPTY = new PolicyContent(Map.of());

	private final Map<String, String> values;

	private PolicyContent(Map<String, String> values) {
		this.values = values;
	}

	static PolicyContent empty() {
		return EMPTY;
	}

	/**
	 * Parse a content; its format is named by the data ID's extension ({@code .yaml},
	 * {@code .yml}, {@code .properties}, {@code .json}), else detected from the content.
	 * @param dataId the data ID the content came from
	 * @param content the content; {@code null} or blank holds no key
	 * @return the parsed content
	 * @throws IllegalArgumentException if the content does not parse
	 */
	static PolicyContent parse(String dataId, @Nullable String content) {
		if (content == null || content.isBlank()) {
			return EMPTY;
		}
		if (content.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("content is " + content.length() + " characters long, more than the "
					+ MAX_LENGTH + " a policy may take");
		}
		Format format = Format.of(dataId, content);
		Map<String, @Nullable Object> flat = (format == Format.PROPERTIES) ? parseProperties(content)
				: parseYaml(content, format);
		return new PolicyContent(policyValues(flat));
	}

	boolean isEmpty() {
		return this.values.isEmpty();
	}

	/**
	 * Return the values by canonical key, in content order.
	 * @return the values
	 */
	Map<String, String> values() {
		return this.values;
	}

	private static Map<String, String> policyValues(Map<String, @Nullable Object> flat) {
		Map<String, String> values = new LinkedHashMap<>();
		Map<String, String> sourceKeys = new LinkedHashMap<>();
		for (Map.Entry<String, @Nullable Object> entry : flat.entrySet()) {
			String sourceKey = entry.getKey().strip();
			String bare = sourceKey.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
					? sourceKey.substring(PREFIX.length()) : sourceKey;
			// an unknown key is passed on as it is, for the policy pipeline to refuse as
			// every source does
			String key = KEYS_BY_UNIFORM_NAME.getOrDefault(uniform(bare), bare);
			String previous = sourceKeys.put(key, sourceKey);
			if (previous != null) {
				throw new IllegalArgumentException(
						"'" + key + "' is set twice, as " + quote(previous) + " and " + quote(sourceKey));
			}
			Object value = entry.getValue();
			if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
				throw new IllegalArgumentException("'" + key + "' must be a single value, not a list or a map");
			}
			String text = (value instanceof String || value instanceof Number || value instanceof Boolean)
					? value.toString().strip() : null;
			if (value != null && text == null) {
				throw new IllegalArgumentException("'" + key + "' must be a plain value");
			}
			if (text == null || text.isEmpty()) {
				throw new IllegalArgumentException(
						"'" + key + "' has no value; remove the key to keep the application's value");
			}
			values.put(key, text);
		}
		return Collections.unmodifiableMap(values);
	}

	private static Map<String, @Nullable Object> parseProperties(String content) {
		Properties properties = new Properties();
		try {
			properties.load(new StringReader(content));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("content does not parse as properties: " + ex.getMessage(), ex);
		}
		Map<String, @Nullable Object> flat = new LinkedHashMap<>();
		properties.stringPropertyNames()
			.stream()
			.sorted()
			.forEach((name) -> flat.put(name, properties.getProperty(name)));
		return flat;
	}

	private static Map<String, @Nullable Object> parseYaml(String content, Format format) {
		if (format == Format.JSON && !content.strip().startsWith("{")) {
			throw new IllegalArgumentException("content of a .json data ID must be a JSON object ({...})");
		}
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setAllowRecursiveKeys(false);
		options.setMaxAliasesForCollections(10);
		options.setCodePointLimit(MAX_LENGTH * 4);
		List<Object> documents = new ArrayList<>();
		try {
			for (Object document : new Yaml(new SafeConstructor(options)).loadAll(content)) {
				if (document != null) {
					documents.add(document);
				}
			}
		}
		catch (YAMLException ex) {
			throw new IllegalArgumentException("content does not parse as " + format.label + ": " + describe(ex), ex);
		}
		if (documents.isEmpty()) {
			return Map.of();
		}
		if (documents.size() > 1) {
			throw new IllegalArgumentException(
					"content holds " + documents.size() + " YAML documents; put the policy in one");
		}
		if (!(documents.get(0) instanceof Map<?, ?> root)) {
			throw new IllegalArgumentException("content is not a map of keys to values");
		}
		Map<String, @Nullable Object> flat = new LinkedHashMap<>();
		flatten("", root, flat);
		return flat;
	}

	private static void flatten(String prefix, Map<?, ?> map, Map<String, @Nullable Object> flat) {
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String key = prefix + entry.getKey();
			if (entry.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
				flatten(key + ".", nested, flat);
			}
			else {
				flat.put(key, entry.getValue());
			}
		}
	}

	// the problem and where, never the snippet of content SnakeYAML adds to its message
	private static String describe(YAMLException ex) {
		if (ex instanceof MarkedYAMLException marked) {
			Mark mark = marked.getProblemMark();
			String problem = (marked.getProblem() != null) ? marked.getProblem() : "invalid syntax";
			return shorten(problem)
					+ ((mark != null) ? " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) : "");
		}
		return ex.getClass().getSimpleName();
	}

	private static String uniform(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	static String quote(String value) {
		return "'" + shorten(value) + "'";
	}

	private static String shorten(String value) {
		String line = value.replaceAll("[\\r\\n\\t]", " ");
		return (line.length() <= SHOWN_LENGTH) ? line : line.substring(0, SHOWN_LENGTH) + "...";
	}

	/**
	 * The formats of a content.
	 */
	enum Format {

		YAML("YAML"), JSON("JSON"), PROPERTIES("properties");

		private final String label;

		Format(String label) {
			this.label = label;
		}

		static Format of(String dataId, String content) {
			String name = dataId.toLowerCase(Locale.ROOT);
			if (name.endsWith(".yaml") || name.endsWith(".yml")) {
				return YAML;
			}
			if (name.endsWith(".properties")) {
				return PROPERTIES;
			}
			if (name.endsWith(".json")) {
				return JSON;
			}
			// no known extension: the first line that is not a comment tells
			for (String line : content.lines().map(String::strip).toList()) {
				if (line.isEmpty() || line.startsWith("#")) {
					continue;
				}
				if (line.startsWith("{")) {
					return JSON;
				}
				int equals = line.indexOf('=');
				int colon = line.indexOf(':');
				return (equals > 0 && (colon < 0 || equals < colon)) ? PROPERTIES : YAML;
			}
			return YAML;
		}

	}

}
