package dev.qmt4j.provider.wasm;

import dev.qmt4j.provider.HttpLimits;
import dev.qmt4j.provider.NetworkPolicy;
import dev.qmt4j.provider.ProviderErrors;
import dev.qmt4j.provider.ProviderException;
import dev.qmt4j.provider.wasm.internal.CallState;
import dev.qmt4j.provider.wasm.internal.QmtHostFunctions;
import dev.qmt4j.provider.wasm.internal.SafeHttp;
import dev.qmt4j.wasm.HostFunction;
import dev.qmt4j.wasm.ModuleSummary;
import dev.qmt4j.wasm.PluginCallException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * QueryMT's host functions ({@code extism:host/user} {@code qmt_http_request}, {@code qmt_http_stream_*},
 * {@code qmt_yield_chunk}, {@code qmt_log}; docs/wasm.md) for driving a provider module export by
 * export outside a {@link WasmProvider}, as {@code qmt4j wasm call} does. Every request a call makes
 * (and every redirect hop) is checked against one fixed {@link NetworkPolicy}; nothing of the process
 * environment is given. Link {@link #functions()} into an {@code ExtismPlugin} and pass
 * {@link Call#hostContext()} of a fresh {@link #newCall} to each {@code call}.
 */
public final class QmtHost {
    private final QmtHostFunctions functions;
    private final NetworkPolicy policy;

    /**
     * @param pluginName the name guest logs ({@code qmt_log}) are reported under
     * @param policy which hosts the guest's {@code qmt_http_*} requests may reach
     * @param limits HTTP timeouts, size cap and redirect limit
     */
    public QmtHost(String pluginName, NetworkPolicy policy, HttpLimits limits) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.functions = new QmtHostFunctions(new SafeHttp(Objects.requireNonNull(limits, "limits")), pluginName);
    }

    /**
     * A QueryMT structured error ({@code error_codes::STRUCTURED} = 1 and a {@code {"payload":{...}}}
     * body) as the provider error it describes, the payload shown in the message; empty for any other
     * failure.
     */
    public static Optional<ProviderException> structuredError(String function, PluginCallException e) {
        String guest = e.guestError();
        if (e.returnCode() != ProviderErrors.STRUCTURED || guest == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(ProviderErrors.fromPluginErrorJson(guest))
                .map(p -> new ProviderException(p.providerKind(), function + " returned a QueryMT plugin error: " + guest.strip(), e));
    }

    /**
     * Whether {@code imports} (from {@link ModuleSummary#importsOf}, which reads only the import section, or
     * {@link ModuleSummary#imports}) include any of QueryMT's host functions ({@code extism:host/user} {@code qmt_*}).
     */
    public static boolean importedBy(List<ModuleSummary.Item> imports) {
        return imports.stream().anyMatch(i -> HostFunction.USER_NAMESPACE.equals(i.module())
                && i.name().startsWith("qmt_") && "function".equals(i.kind()));
    }

    /** The functions, to register on an {@code ExtismPlugin}. */
    public List<HostFunction> functions() {
        return functions.functions();
    }

    /**
     * The state of one call: the policy, and {@code chunks}, which receives each chunk the guest passes
     * to {@code qmt_yield_chunk} (the {@code chunk} member of an {@code ExtismChatChunk}) on the calling thread.
     */
    public Call newCall(Consumer<JsonNode> chunks) {
        return new Call(new CallState(policy, chunks));
    }

    /** One call's state; close it after the call (it closes the HTTP streams the guest left open). */
    public static final class Call implements AutoCloseable {
        private final CallState state;

        private Call(CallState state) {
            this.state = state;
        }

        /** The object to pass as the call's host context. */
        public Object hostContext() {
            return state;
        }

        /** What the chunk consumer threw, if it did (the guest's HTTP then answers "cancelled"). */
        public RuntimeException consumerFailure() {
            return state.consumerFailure();
        }

        @Override
        public void close() {
            state.close();
        }
    }
}
