package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import io.github.compressredis.core.policy.PolicySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Follows one Nacos data ID through the Nacos {@link ConfigService}: reads it at startup
 * and registers a listener in the same call, then hands every content to the
 * {@link NacosPolicyUpdater}, one at a time and in the order they arrived. When Nacos
 * cannot be reached at startup, the Nacos client's local snapshot of the data ID applies
 * if it has one (source {@code nacos-snapshot}), else the policy of the application's
 * configuration; a warning says so, and the listener still waits for Nacos.
 *
 * @author compress-redis contributors
 */
public final class NacosPolicySource implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(NacosPolicySource.class);

	private static final Duration STARTUP_MARGIN = Duration.ofSeconds(5);

	private final Supplier<ConfigService> configService;

	private final String dataId;

	private final String group;

	private final Duration timeout;

	private final NacosPolicyUpdater updater;

	private final Listener listener = new PolicyListener();

	// one thread, in arrival order: the startup read and every change go through it, so
	// an older
	// content is never applied after a newer one (Nacos's own notifier is a pool of
	// threads)
	private final ExecutorService serial = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "compress-redis-nacos-policy");
		thread.setDaemon(true);
		return thread;
	});

	private volatile @Nullable ConfigService listening;

	/**
	 * Create a source.
	 * @param configService supplies the Nacos config service; it may throw when Nacos
	 * cannot be reached
	 * @param properties the data ID, group and startup timeout
	 * @param updater puts each content in force or refuses it
	 */
	public NacosPolicySource(Supplier<ConfigService> configService, CompressRedisNacosProperties properties,
			NacosPolicyUpdater updater) {
		this.configService = Objects.requireNonNull(configService, "'configService' must not be null");
		this.dataId = Objects.requireNonNull(properties.getDataId(), "'dataId' must not be null");
		this.group = Objects.requireNonNull(properties.getGroup(), "'group' must not be null");
		this.timeout = Objects.requireNonNull(properties.getTimeout(), "'timeout' must not be null");
		this.updater = Objects.requireNonNull(updater, "'updater' must not be null");
	}

	@Override
	public void afterPropertiesSet() {
		start();
	}

	/**
	 * Read the data ID, put its content in force and listen to its changes. Never throws:
	 * when Nacos fails, the policy of the application's configuration stays.
	 */
	public void start() {
		Future<?> started = this.serial.submit(this::readAndListen);
		try {
			// the read, and the snapshot read after a failed one, are each bounded by the
			// timeout
			started.get(2 * this.timeout.toMillis() + STARTUP_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Reading " + describe() + " took longer than " + this.timeout.toMillis()
					+ " ms: the compress.redis policy of the application's configuration applies until it arrives");
		}
		catch (ExecutionException ex) {
			logger.warn("Could not read " + describe() + ": " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void readAndListen() {
		ConfigService service;
		try {
			service = this.configService.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Nacos is not reachable (" + ex.getMessage() + "): the compress.redis policy of the "
					+ "application's configuration applies, and " + describe() + " will not be followed");
			return;
		}
		String content;
		try {
			content = service.getConfigAndSignListener(this.dataId, this.group, this.timeout.toMillis(), this.listener);
			this.listening = service;
		}
		catch (NacosException | RuntimeException ex) {
			// the first read failed, so the listener was not registered: register it
			// alone
			boolean listens = addListener(service);
			// getConfigAndSignListener has no fallback; getConfig answers from the
			// client's local snapshot
			String snapshot = readSnapshot(service);
			if (snapshot != null) {
				applyRead(service, snapshot);
				return;
			}
			logger.warn("Could not read " + describe() + " within " + this.timeout.toMillis() + " ms ("
					+ ex.getMessage() + "): the compress.redis policy of the application's configuration applies"
					+ (listens ? " until Nacos delivers a change" : ", and changes will not be followed"));
			return;
		}
		applyRead(service, content);
	}

	private @Nullable String readSnapshot(ConfigService service) {
		try {
			return service.getConfig(this.dataId, this.group, this.timeout.toMillis());
		}
		catch (NacosException | RuntimeException ex) {
			return null;
		}
	}

	private void applyRead(ConfigService service, @Nullable String content) {
		// the Nacos client answers from its local snapshot when the server cannot be
		// reached
		boolean fromServer = "UP".equalsIgnoreCase(service.getServerStatus());
		if (!fromServer && content != null) {
			logger.warn("Nacos is not reachable: " + describe() + " comes from the Nacos client's local snapshot "
					+ "(source nacos-snapshot) until Nacos delivers a change");
		}
		this.updater.applyContent(this.dataId, this.group, content,
				(fromServer || content == null) ? PolicySource.NACOS : PolicySource.NACOS_SNAPSHOT);
	}

	private boolean addListener(ConfigService service) {
		try {
			service.addListener(this.dataId, this.group, this.listener);
			this.listening = service;
			return true;
		}
		catch (NacosException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Stop listening.
	 */
	@Override
	public void destroy() {
		this.serial.shutdownNow();
		ConfigService service = this.listening;
		this.listening = null;
		if (service != null) {
			try {
				service.removeListener(this.dataId, this.group, this.listener);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not remove the listener of " + describe(), ex);
			}
		}
	}

	/**
	 * Return whether a listener is registered with Nacos.
	 * @return whether changes are followed
	 */
	public boolean isListening() {
		return this.listening != null;
	}

	private String describe() {
		return "the policy in Nacos dataId '" + this.dataId + "', group '" + this.group + "'";
	}

	private final class PolicyListener implements Listener {

		@Override
		public Executor getExecutor() {
			return NacosPolicySource.this.serial;
		}

		@Override
		public void receiveConfigInfo(@Nullable String content) {
			try {
				NacosPolicySource.this.updater.applyContent(NacosPolicySource.this.dataId, NacosPolicySource.this.group,
						content);
			}
			catch (RuntimeException ex) {
				// never let a failure reach, and stop, Nacos's notifier thread
				logger.warn("Could not apply " + describe() + ": " + ex.getMessage(), ex);
			}
		}

	}

}
