package io.github.compressredis.testsupport.nacos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link NacosServer} parameter: the kit's real Nacos server, started once
 * per test JVM on the first use and stopped when the test run ends. The kit is
 * {@code shared/nacos} beside the repository (looked for in the parents of the working
 * directory), or the directory named by the system property or environment variable
 * {@code NACOS_KIT}. When the kit is missing the tests are skipped with a message, except
 * with {@code CI=true}, where they fail.
 * <p>
 * The Nacos client keeps a snapshot of every config it read in {@code JM.SNAPSHOT.PATH},
 * read once per JVM: unless set, it is pointed to {@code target/nacos-client} here, so no
 * test reads a snapshot another run wrote; tests isolate themselves from each other with
 * their own data IDs ({@link #uniqueDataId(String)}).
 *
 * @author compress-redis contributors
 */
public final class NacosServerExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(NacosServerExtension.class);

	private static final String KIT_SCRIPT = "start-nacos.sh";

	@Override
	public void beforeAll(ExtensionContext context) {
		isolateClientFiles();
		Optional<Path> kit = locateKit();
		if (kit.isEmpty()) {
			String message = "The Nacos kit (shared/nacos/" + KIT_SCRIPT + " beside the repository, or NACOS_KIT) "
					+ "was not found from " + Path.of("").toAbsolutePath() + ": the real-Nacos tests of "
					+ context.getRequiredTestClass().getSimpleName() + " need it";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new ExtensionConfigurationException(message + " (CI=true: they may not be skipped)");
			}
			System.err.println("SKIPPED: " + message);
			Assumptions.abort(message);
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == NacosServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return server(extensionContext);
	}

	/**
	 * Return the server of this test run, started on the first call.
	 * @param context any extension context of the run
	 * @return the running server
	 */
	// getOrComputeIfAbsent: JUnit 5.12 (Spring Boot 3.5) has no computeIfAbsent, JUnit 6
	// keeps this one
	@SuppressWarnings({ "deprecation", "removal" })
	public static NacosServer server(ExtensionContext context) {
		NacosServer server = context.getRoot()
			.getStore(NAMESPACE)
			.getOrComputeIfAbsent(NacosServer.class, (key) -> startServer(), NacosServer.class);
		// a test that stopped it to simulate an outage and failed before starting it
		// again
		server.start();
		return server;
	}

	/**
	 * Return a data ID no other test uses, so that neither the server's data nor the
	 * client's snapshot of another test is seen.
	 * @param name a readable part, for instance the test's name
	 * @return the data ID, with a {@code .yaml} extension
	 */
	public static String uniqueDataId(String name) {
		return name + "-" + Long.toString(System.nanoTime(), 36) + ".yaml";
	}

	private static NacosServer startServer() {
		Path kit = locateKit().orElseThrow(() -> new ExtensionConfigurationException("The Nacos kit is missing"));
		NacosServer server = NacosServer.start(kit, Path.of("target", "nacos-server"));
		System.out.printf("Nacos 3.0.3 from %s started on %s in %.1f s (home %s)%n", kit, server.serverAddr(),
				server.lastStart().toMillis() / 1000.0, server.home());
		return server;
	}

	/**
	 * Locate the kit.
	 * @return the kit directory, if found
	 */
	public static Optional<Path> locateKit() {
		String configured = firstNonEmpty(System.getProperty("NACOS_KIT"), System.getenv("NACOS_KIT"));
		if (configured != null) {
			Path kit = Path.of(configured).toAbsolutePath();
			return Files.isRegularFile(kit.resolve(KIT_SCRIPT)) ? Optional.of(kit) : Optional.empty();
		}
		// the repository's parent holds shared/ (a worktree may sit deeper: look in every
		// parent)
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path kit = dir.resolve("shared").resolve("nacos");
			if (Files.isRegularFile(kit.resolve(KIT_SCRIPT))) {
				return Optional.of(kit);
			}
		}
		return Optional.empty();
	}

	private static @Nullable String firstNonEmpty(@Nullable String first, @Nullable String second) {
		if (first != null && !first.isBlank()) {
			return first;
		}
		return (second != null && !second.isBlank()) ? second : null;
	}

	// JM.SNAPSHOT.PATH and JM.LOG.PATH are read once, when the Nacos client's classes
	// load
	private static void isolateClientFiles() {
		Path client = Path.of("target", "nacos-client").toAbsolutePath();
		if (System.getProperty("JM.SNAPSHOT.PATH") == null) {
			System.setProperty("JM.SNAPSHOT.PATH", client.toString());
		}
		if (System.getProperty("JM.LOG.PATH") == null) {
			System.setProperty("JM.LOG.PATH", client.resolve("logs").toString());
		}
	}

}
