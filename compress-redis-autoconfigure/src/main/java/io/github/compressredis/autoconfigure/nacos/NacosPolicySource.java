package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Follows one Nacos data ID through the Nacos {@link ConfigService}: reads it at startup and
 * registers a listener in the same call, then hands every content to the
 * {@link NacosPolicyUpdater}. When Nacos cannot be reached at startup, the policy of the
 * application's configuration applies, a warning says so, and the listener still waits for
 * Nacos.
 */
public final class NacosPolicySource implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(NacosPolicySource.class);

	private final Supplier<ConfigService> configService;

	private final String dataId;

	private final String group;

	private final Duration timeout;

	private final NacosPolicyUpdater updater;

	private final Listener listener = new PolicyListener();

	private volatile @Nullable ConfigService listening;

	/**
	 * Create a source.
	 * @param configService supplies the Nacos config service; it may throw when Nacos cannot be
	 * reached
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
	 * Read the data ID, put its content in force and listen to its changes. Never throws: when
	 * Nacos fails, the policy of the application's configuration stays.
	 */
	public void start() {
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
			// the first read failed, so the listener was not registered: register it alone
			boolean listens = addListener(service);
			logger.warn("Could not read " + describe() + " within " + this.timeout.toMillis() + " ms ("
					+ ex.getMessage() + "): the compress.redis policy of the application's configuration applies"
					+ (listens ? " until Nacos delivers a change" : ", and changes will not be followed"));
			return;
		}
		this.updater.applyContent(this.dataId, this.group, content);
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
		public @Nullable Executor getExecutor() {
			// parsing a few lines and swapping a reference is quick: Nacos's notifier thread does it
			return null;
		}

		@Override
		public void receiveConfigInfo(@Nullable String content) {
			try {
				NacosPolicySource.this.updater.applyContent(NacosPolicySource.this.dataId,
						NacosPolicySource.this.group, content);
			}
			catch (RuntimeException ex) {
				// never let a failure reach, and stop, Nacos's notifier thread
				logger.warn("Could not apply " + describe() + ": " + ex.getMessage(), ex);
			}
		}

	}

}
