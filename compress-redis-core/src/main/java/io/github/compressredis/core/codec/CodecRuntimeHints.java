package io.github.compressredis.core.codec;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for the native libraries behind the codecs (zstd-jni, lz4-java and, when
 * present, snappy-java), for Spring AOT and GraalVM native images: the library files each
 * extracts from its jar, what their native code reaches through JNI and the classes they
 * load by name. Registered in {@code META-INF/spring/aot.factories}, so it applies with
 * or without Spring Boot. Each library's hints are registered only when it is on the
 * classpath.
 *
 * @author compress-redis contributors
 */
class CodecRuntimeHints implements RuntimeHintsRegistrar {

	static final String ZSTD_CLASS = "com.github.luben.zstd.Zstd";

	static final String LZ4_CLASS = "net.jpountz.lz4.LZ4Factory";

	/**
	 * The fields zstd-jni's native code reads and writes on the object it is called on.
	 */
	static final List<JniField> ZSTD_JNI_FIELDS = List.of(
			new JniField("com.github.luben.zstd.ZstdCompressCtx", "nativePtr"),
			new JniField("com.github.luben.zstd.ZstdDecompressCtx", "nativePtr"),
			new JniField("com.github.luben.zstd.ZstdDictCompress", "nativePtr"),
			new JniField("com.github.luben.zstd.ZstdDictDecompress", "nativePtr"),
			new JniField("com.github.luben.zstd.ZstdInputStreamNoFinalizer", "srcPos"),
			new JniField("com.github.luben.zstd.ZstdInputStreamNoFinalizer", "dstPos"),
			new JniField("com.github.luben.zstd.ZstdOutputStreamNoFinalizer", "srcPos"),
			new JniField("com.github.luben.zstd.ZstdOutputStreamNoFinalizer", "dstPos"));

	/** The implementations LZ4Factory loads by name, reading their INSTANCE field. */
	static final List<String> LZ4_IMPLEMENTATIONS = List.of("JNI", "JavaUnsafe", "JavaSafe")
		.stream()
		.flatMap((impl) -> List
			.of("LZ4" + impl + "Compressor", "LZ4HC" + impl + "Compressor", "LZ4" + impl + "FastDecompressor",
					"LZ4" + impl + "SafeDecompressor")
			.stream())
		.map((name) -> "net.jpountz.lz4." + name)
		.toList();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		if (ClassUtils.isPresent(ZSTD_CLASS, classLoader)) {
			registerZstd(hints);
		}
		if (ClassUtils.isPresent(LZ4_CLASS, classLoader)) {
			registerLz4(hints);
		}
		if (ClassUtils.isPresent(CodecRegistry.SNAPPY_CLASS, classLoader)) {
			registerSnappy(hints);
		}
	}

	private static void registerZstd(RuntimeHints hints) {
		// com.github.luben.zstd.util.Native extracts
		// <os>/<arch>/libzstd-jni-<version>.<ext>
		for (String extension : List.of("so", "dylib", "dll")) {
			hints.resources().registerPattern("*/*/libzstd-jni-*." + extension);
		}
		for (JniField field : ZSTD_JNI_FIELDS) {
			hints.jni().registerType(TypeReference.of(field.type()), (type) -> type.withField(field.name()));
		}
		// created by the native code of Zstd*Ctx.getFrameProgression()
		hints.jni()
			.registerType(TypeReference.of("com.github.luben.zstd.ZstdFrameProgression"),
					(type) -> type.withConstructor(List.of(TypeReference.of(long.class), TypeReference.of(long.class),
							TypeReference.of(long.class), TypeReference.of(long.class), TypeReference.of(int.class),
							TypeReference.of(int.class)), ExecutableMode.INVOKE));
		registerThrownByNativeCode(hints, RuntimeException.class, OutOfMemoryError.class);
	}

	private static void registerLz4(RuntimeHints hints) {
		// net.jpountz.util.Native extracts net/jpountz/util/<os>/<arch>/liblz4-java.<ext>
		hints.resources().registerPattern("net/jpountz/util/*/*/liblz4-java.*");
		for (String implementation : LZ4_IMPLEMENTATIONS) {
			hints.reflection().registerType(TypeReference.of(implementation), (type) -> type.withField("INSTANCE"));
		}
		registerThrownByNativeCode(hints, IllegalArgumentException.class, IllegalStateException.class,
				OutOfMemoryError.class);
	}

	private static void registerSnappy(RuntimeHints hints) {
		// SnappyLoader extracts
		// org/xerial/snappy/native/<OS>/<arch>/(lib)snappyjava.<ext>
		// and reads its version and optional settings
		hints.resources().registerPattern("org/xerial/snappy/native/*/*/*snappyjava.*");
		hints.resources().registerPattern("org/xerial/snappy/VERSION");
		hints.resources().registerPattern("META-INF/maven/org.xerial.snappy/snappy-java/pom.properties");
		hints.resources().registerPattern("org-xerial-snappy.properties");
		// the native code reports errors by calling back into Java
		hints.jni()
			.registerType(TypeReference.of("org.xerial.snappy.SnappyNative"), (type) -> type.withMethod("throw_error",
					List.of(TypeReference.of(int.class)), ExecutableMode.INVOKE));
		// CodecRegistry looks snappy up by name, as it is optional
		hints.reflection().registerType(TypeReference.of(CodecRegistry.SNAPPY_CLASS));
	}

	// ThrowNew needs the class and its (String) constructor
	private static void registerThrownByNativeCode(RuntimeHints hints, Class<?>... types) {
		for (Class<?> type : types) {
			hints.jni()
				.registerType(type,
						(hint) -> hint.withConstructor(List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE));
		}
	}

	/**
	 * A field that native code reaches through JNI.
	 *
	 * @param type the class that declares it
	 * @param name the field name
	 * @author compress-redis contributors
	 */
	record JniField(String type, String name) {
	}

}
