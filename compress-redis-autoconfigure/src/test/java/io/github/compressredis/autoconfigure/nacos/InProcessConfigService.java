package io.github.compressredis.autoconfigure.nacos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.filter.IConfigFilter;
import com.alibaba.nacos.api.config.listener.FuzzyWatchEventWatcher;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Nacos {@link ConfigService} held in memory that keeps the client's contract as the
 * policy source relies on it: content is a String and a data ID that does not exist reads
 * as {@code null}; {@code getConfigAndSignListener} returns the content and registers the
 * listener, {@code addListener} only registers; a publish or removal that changes the
 * content notifies every listener of that data ID asynchronously, on the listener's own
 * executor when it has one, else on a notifier thread, one change after the other. When
 * made unreachable, reads and publishes fail with a {@link NacosException} as the
 * client's do, while listeners can still be registered.
 */
final class InProcessConfigService implements ConfigService, AutoCloseable {

	private final Map<String, String> contents = new ConcurrentHashMap<>();

	private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	private final ExecutorService notifier = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "in-process-nacos-notifier");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean reachable = true;

	void setReachable(boolean reachable) {
		this.reachable = reachable;
	}

	int listenerCount(String dataId, String group) {
		return this.listeners.getOrDefault(key(dataId, group), List.of()).size();
	}

	@Override
	public @Nullable String getConfig(String dataId, String group, long timeoutMs) throws NacosException {
		checkReachable();
		return this.contents.get(key(dataId, group));
	}

	@Override
	public @Nullable String getConfigAndSignListener(String dataId, String group, long timeoutMs, Listener listener)
			throws NacosException {
		String content = getConfig(dataId, group, timeoutMs);
		addListener(dataId, group, listener);
		return content;
	}

	@Override
	public void addListener(String dataId, String group, Listener listener) throws NacosException {
		Objects.requireNonNull(listener, "'listener' must not be null");
		this.listeners.computeIfAbsent(key(dataId, group), (key) -> new CopyOnWriteArrayList<>()).add(listener);
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content) throws NacosException {
		checkReachable();
		if (content == null || content.isBlank()) {
			throw new NacosException(NacosException.CLIENT_INVALID_PARAM, "content invalid");
		}
		String previous = this.contents.put(key(dataId, group), content);
		if (!content.equals(previous)) {
			notifyListeners(dataId, group, content);
		}
		return true;
	}

	@Override
	public boolean publishConfig(String dataId, String group, String content, String type) throws NacosException {
		return publishConfig(dataId, group, content);
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5) throws NacosException {
		checkReachable();
		synchronized (this.contents) {
			String current = this.contents.get(key(dataId, group));
			if (current != null && !md5(current).equals(casMd5)) {
				return false;
			}
			return publishConfig(dataId, group, content);
		}
	}

	@Override
	public boolean publishConfigCas(String dataId, String group, String content, String casMd5, String type)
			throws NacosException {
		return publishConfigCas(dataId, group, content, casMd5);
	}

	@Override
	public boolean removeConfig(String dataId, String group) throws NacosException {
		checkReachable();
		if (this.contents.remove(key(dataId, group)) != null) {
			notifyListeners(dataId, group, null);
		}
		return true;
	}

	@Override
	public void removeListener(String dataId, String group, Listener listener) {
		List<Listener> registered = this.listeners.get(key(dataId, group));
		if (registered != null) {
			registered.remove(listener);
		}
	}

	@Override
	public String getServerStatus() {
		return this.reachable ? "UP" : "DOWN";
	}

	@Override
	public void addConfigFilter(IConfigFilter configFilter) {
		throw new UnsupportedOperationException("config filters are not used by the policy source");
	}

	@Override
	public void shutDown() {
		this.notifier.shutdownNow();
	}

	@Override
	public void close() {
		shutDown();
	}

	/**
	 * Return a context runner with compress-redis and its Nacos auto-configuration,
	 * reading its policy from this service.
	 * @return the context runner
	 */
	ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class,
					CompressRedisNacosAutoConfiguration.class))
			.withBean(ConfigService.class, () -> this);
	}

	@Override
	public void fuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	@Override
	public void fuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	@Override
	public Future<Set<String>> fuzzyWatchWithGroupKeys(String dataIdPattern, String groupNamePattern,
			FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	@Override
	public void cancelFuzzyWatch(String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	@Override
	public void cancelFuzzyWatch(String dataIdPattern, String groupNamePattern, FuzzyWatchEventWatcher watcher) {
		throw new UnsupportedOperationException("fuzzy watch is not used by the policy source");
	}

	private void notifyListeners(String dataId, String group, @Nullable String content) {
		for (Listener listener : this.listeners.getOrDefault(key(dataId, group), List.of())) {
			Runnable delivery = () -> listener.receiveConfigInfo(content);
			if (listener.getExecutor() != null) {
				listener.getExecutor().execute(delivery);
			}
			else {
				this.notifier.execute(delivery);
			}
		}
	}

	private void checkReachable() throws NacosException {
		if (!this.reachable) {
			throw new NacosException(NacosException.SERVER_ERROR, "Client not connected, current status:STARTING");
		}
	}

	private static String key(String dataId, String group) {
		return dataId + "+" + group;
	}

	private static String md5(String content) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
