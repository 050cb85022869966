package io.github.compressredis.core.codec;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdFrameProgression;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import org.springframework.aot.hint.ExecutableHint;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CodecRuntimeHints}.
 *
 * @author compress-redis contributors
 */
class CodecRuntimeHintsTests {

	private static final Pattern NATIVE_LIBRARY = Pattern.compile(".*\\.(so|dylib|dll|jnilib|a)$");

	private final RuntimeHints hints = registered(getClass().getClassLoader());

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(CodecRuntimeHints.class);
	}

	@Test
	void everyNativeLibraryInTheZstdJarIsIncluded() throws Exception {
		assertNativeLibrariesIncluded(Zstd.class, 18);
	}

	@Test
	void everyNativeLibraryInTheLz4JarIsIncluded() throws Exception {
		assertNativeLibrariesIncluded(LZ4Factory.class, 9);
	}

	@Test
	void everyNativeLibraryInTheSnappyJarAndItsVersionFileAreIncluded() throws Exception {
		assertNativeLibrariesIncluded(Snappy.class, 20);
		assertThat(RuntimeHintsPredicates.resource().forResource("org/xerial/snappy/VERSION")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("META-INF/maven/org.xerial.snappy/snappy-java/pom.properties")).accepts(this.hints);
	}

	@Test
	void nothingElseOfTheLibrariesIsIncluded() {
		assertThat(RuntimeHintsPredicates.resource().forResource("com/github/luben/zstd/Zstd.class"))
			.rejects(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("linux/amd64/other.so")).rejects(this.hints);
	}

	@Test
	void fieldsZstdNativeCodeReachesAreRegisteredForJni() throws Exception {
		assertThat(CodecRuntimeHints.ZSTD_JNI_FIELDS).hasSize(8);
		for (CodecRuntimeHints.JniField field : CodecRuntimeHints.ZSTD_JNI_FIELDS) {
			Field declared = Class.forName(field.type()).getDeclaredField(field.name());
			assertThat(declared.getType()).isEqualTo(long.class);
			TypeHint type = this.hints.jni().getTypeHint(TypeReference.of(field.type()));
			assertThat(type).as(field.type()).isNotNull();
			assertThat(type.fields()).as(field.type()).anyMatch((hint) -> hint.getName().equals(field.name()));
		}
	}

	@Test
	void zstdFrameProgressionConstructorIsRegisteredForJni() {
		TypeHint type = this.hints.jni().getTypeHint(ZstdFrameProgression.class);
		assertThat(type).isNotNull();
		assertThat(type.constructors().map(ExecutableHint::getParameterTypes)).containsExactly(
				List.of(TypeReference.of(long.class), TypeReference.of(long.class), TypeReference.of(long.class),
						TypeReference.of(long.class), TypeReference.of(int.class), TypeReference.of(int.class)));
	}

	@Test
	void exceptionsNativeCodeThrowsAreRegisteredForJni() {
		for (Class<?> type : List.of(RuntimeException.class, OutOfMemoryError.class, IllegalArgumentException.class,
				IllegalStateException.class)) {
			TypeHint hint = this.hints.jni().getTypeHint(type);
			assertThat(hint).as(type.getName()).isNotNull();
			assertThat(hint.constructors().map(ExecutableHint::getParameterTypes))
				.containsExactly(List.of(TypeReference.of(String.class)));
		}
	}

	@Test
	void lz4ImplementationsLoadedByNameAreRegisteredWithTheirInstanceField() throws Exception {
		assertThat(CodecRuntimeHints.LZ4_IMPLEMENTATIONS).hasSize(12);
		for (String name : CodecRuntimeHints.LZ4_IMPLEMENTATIONS) {
			Class<?> implementation = Class.forName(name);
			Field instance = implementation.getField("INSTANCE");
			assertThat(Modifier.isStatic(instance.getModifiers())).as(name).isTrue();
			assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(implementation, "INSTANCE"))
				.accepts(this.hints);
		}
	}

	@Test
	void snappyIsRegisteredForLookupByNameAndItsErrorCallbackForJni() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onType(Snappy.class)).accepts(this.hints);
		TypeHint nativeType = this.hints.jni().getTypeHint(TypeReference.of("org.xerial.snappy.SnappyNative"));
		assertThat(nativeType).isNotNull();
		assertThat(nativeType.methods()).singleElement().satisfies((method) -> {
			assertThat(method.getName()).isEqualTo("throw_error");
			assertThat(method.getParameterTypes()).containsExactly(TypeReference.of(int.class));
		});
		assertThat(Class.forName("org.xerial.snappy.SnappyNative").getDeclaredMethod("throw_error", int.class))
			.isNotNull();
	}

	@Test
	void aLibraryThatIsNotOnTheClasspathGetsNoHints() {
		RuntimeHints withoutSnappy = registered(
				new HidingClassLoader("org.xerial.snappy.", getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.reflection().onType(Snappy.class)).rejects(withoutSnappy);
		assertThat(RuntimeHintsPredicates.resource().forResource("org/xerial/snappy/VERSION")).rejects(withoutSnappy);
		assertThat(withoutSnappy.jni().getTypeHint(TypeReference.of("org.xerial.snappy.SnappyNative"))).isNull();
		// the others are still covered
		assertThat(withoutSnappy.jni().getTypeHint(ZstdFrameProgression.class)).isNotNull();
	}

	private void assertNativeLibrariesIncluded(Class<?> libraryClass, int expected)
			throws IOException, URISyntaxException {
		Path jar = Path.of(libraryClass.getProtectionDomain().getCodeSource().getLocation().toURI());
		try (JarFile file = new JarFile(jar.toFile())) {
			List<String> libraries = file.stream()
				.map((entry) -> entry.getName())
				.filter((name) -> NATIVE_LIBRARY.matcher(name).matches())
				.toList();
			assertThat(libraries).as(jar.toString()).hasSizeGreaterThanOrEqualTo(expected);
			for (String library : libraries) {
				assertThat(RuntimeHintsPredicates.resource().forResource(library)).as(library).accepts(this.hints);
			}
		}
	}

	private static RuntimeHints registered(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new CodecRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

	/**
	 * A class loader that does not find the classes of one package.
	 */
	private static final class HidingClassLoader extends ClassLoader {

		private final String hidden;

		HidingClassLoader(String hidden, ClassLoader parent) {
			super(parent);
			this.hidden = hidden;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.startsWith(this.hidden)) {
				throw new ClassNotFoundException(name);
			}
			return super.loadClass(name, resolve);
		}

	}

}
