package io.github.compressredis.core;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core's public API is the list in the README's "API" section: a type made public
 * outside an {@code internal} package, or an {@code internal} type in the signature of an
 * API method, fails here until it is decided on and listed.
 */
class PublicApiTests {

	private static final String BASE = "io.github.compressredis.core";

	/** The public API of the core, as listed in the README's "API" section. */
	private static final Set<String> API = Set.of("CompressedValueException", "CompressingRedisSerializer",
			"ValueCompressor", "codec.Algorithm", "codec.CodecRegistry", "dictionary.Dictionary",
			"dictionary.DictionaryProvider", "dictionary.DictionaryRecordTooLargeException",
			"dictionary.DictionaryRegistry", "dictionary.DictionarySettings", "dictionary.DictionaryStatus",
			"dictionary.DictionaryStore", "dictionary.DictionaryTarget", "dictionary.RedisDictionaryStore",
			"dictionary.TrainingOutcome", "foreign.ForeignFormat", "foreign.ForeignFormats", "format.DecodeFault",
			"json.JsonCompressingRedisSerializer", "policy.CompressionPolicy", "policy.CompressionPolicyHolder",
			"policy.PolicySource", "policy.PolicyVersion", "policy.RefusedChange", "resilience.BreakerSettings",
			"resilience.CompressionBreaker", "stats.BreakerState", "stats.BreakerStatus", "stats.CompressionStats",
			"stats.FallbackReason", "stats.WriteOutcome");

	/**
	 * API members whose signature names an internal type, on purpose: they are the
	 * engine's own protocol between packages (the codec a serializer or dictionary hands
	 * to the compressor, the breaker's admit/measure calls, the observer the metrics
	 * module plugs in, the test clock), not calls an application makes.
	 */
	private static final Set<String> ALLOWED_INTERNAL_IN_SIGNATURE = Set.of(
			"codec.CodecRegistry#codec -> internal.codec.Codec",
			"dictionary.DictionaryProvider#codec -> internal.codec.ZstdDictionaryCodec",
			"dictionary.DictionaryRegistry#codec -> internal.codec.ZstdDictionaryCodec",
			"dictionary.DictionaryTarget#codec -> internal.codec.ZstdDictionaryCodec",
			"foreign.ForeignFormats#decode -> internal.foreign.ForeignValue",
			"resilience.CompressionBreaker#<init> -> internal.resilience.Ticker",
			"resilience.CompressionBreaker#admit -> internal.resilience.Admission",
			"resilience.CompressionBreaker#level -> internal.resilience.Admission",
			"resilience.CompressionBreaker#onCompressed -> internal.resilience.Admission",
			"resilience.CompressionBreaker#onFailed -> internal.resilience.Admission",
			"resilience.CompressionBreaker#referenceCodec -> internal.codec.Codec",
			"resilience.CompressionBreaker#sampleCost -> internal.resilience.Admission",
			"stats.CompressionStats#observer -> internal.stats.CompressionObserver",
			"stats.CompressionStats#setObserver -> internal.stats.CompressionObserver");

	@Test
	void publicTypesOutsideInternalPackagesAreTheDocumentedApi() throws Exception {
		assertThat(apiTypes().stream().map(Class::getName).map(PublicApiTests::shortName).toList())
			.containsExactlyInAnyOrderElementsOf(API);
	}

	@Test
	void apiSignaturesNameInternalTypesOnlyWhereAllowed() throws Exception {
		Set<String> found = new TreeSet<>();
		for (Class<?> type : apiTypes()) {
			collect(type, found);
		}
		assertThat(found).containsExactlyInAnyOrderElementsOf(ALLOWED_INTERNAL_IN_SIGNATURE);
	}

	private static void collect(Class<?> type, Set<String> found) {
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (Modifier.isPublic(nested.getModifiers())) {
				collect(nested, found);
			}
		}
		List<Executable> members = new ArrayList<>();
		for (Method method : type.getDeclaredMethods()) {
			if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
				members.add(method);
			}
		}
		for (Constructor<?> constructor : type.getDeclaredConstructors()) {
			if (Modifier.isPublic(constructor.getModifiers()) && !constructor.isSynthetic()) {
				members.add(constructor);
			}
		}
		for (Executable member : members) {
			Set<String> internal = new TreeSet<>();
			if (member instanceof Method method) {
				internalTypes(method.getGenericReturnType(), internal);
			}
			for (Type parameter : member.getGenericParameterTypes()) {
				internalTypes(parameter, internal);
			}
			for (Type exception : member.getGenericExceptionTypes()) {
				internalTypes(exception, internal);
			}
			String name = (member instanceof Constructor) ? "<init>" : member.getName();
			internal
				.forEach((internalType) -> found.add(shortName(type.getName()) + "#" + name + " -> " + internalType));
		}
		for (Field field : type.getDeclaredFields()) {
			if (Modifier.isPublic(field.getModifiers())) {
				Set<String> internal = new TreeSet<>();
				internalTypes(field.getGenericType(), internal);
				internal.forEach((internalType) -> found
					.add(shortName(type.getName()) + "#" + field.getName() + " -> " + internalType));
			}
		}
	}

	private static void internalTypes(Type type, Set<String> into) {
		if (type instanceof Class<?> cls) {
			while (cls.isArray()) {
				cls = cls.getComponentType();
			}
			if (cls.getName().startsWith(BASE + ".internal.")) {
				into.add(shortName(cls.getName()));
			}
		}
		else if (type instanceof ParameterizedType parameterized) {
			internalTypes(parameterized.getRawType(), into);
			for (Type argument : parameterized.getActualTypeArguments()) {
				internalTypes(argument, into);
			}
		}
		else if (type instanceof GenericArrayType array) {
			internalTypes(array.getGenericComponentType(), into);
		}
		else if (type instanceof WildcardType wildcard) {
			Stream.concat(Stream.of(wildcard.getUpperBounds()), Stream.of(wildcard.getLowerBounds()))
				.forEach((bound) -> internalTypes(bound, into));
		}
		else if (type instanceof TypeVariable<?> variable) {
			for (Type bound : variable.getBounds()) {
				internalTypes(bound, into);
			}
		}
	}

	private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
		Path root = Path
			.of(CompressingRedisSerializer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<Class<?>> types = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).sorted().toList()) {
				String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
				name = name.substring(0, name.length() - ".class".length());
				if (name.contains("$") || name.endsWith("package-info") || name.startsWith(BASE + ".internal.")) {
					continue;
				}
				Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
				if (Modifier.isPublic(type.getModifiers())) {
					types.add(type);
				}
			}
		}
		assertThat(types).as("classes found under %s", root).isNotEmpty();
		return types;
	}

	private static String shortName(String name) {
		return name.substring(BASE.length() + 1);
	}

}
