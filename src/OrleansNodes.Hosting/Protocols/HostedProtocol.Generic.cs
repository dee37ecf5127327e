using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>The typed side of <see cref="HostedProtocol"/>: builds typed inputs, steps, copies effects out.</summary>
internal sealed class HostedProtocol<TSettings, TState, TMessage, TRequest, TReply>(
    Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
    TSettings defaultSettings,
    Func<TReply, RedirectHint?>? redirect) : HostedProtocol
    where TState : class
    where TSettings : notnull
    where TMessage : notnull
    where TRequest : notnull
    where TReply : notnull
{
    public override string Name => protocol.Name;

    public override Type SettingsType => typeof(TSettings);

    public override object DefaultSettings => defaultSettings;

    public override NodeRunner Start(NodeId self, int nodeCount, object settings, ulong seed, DurableImage? image)
    {
        // The same per-node seed derivation as the simulator's NodeConfig.Cluster, so a node
        // draws the same timeouts here as in a simulated run of the same cluster seed.
        var config = NodeConfig<TSettings>.Cluster(nodeCount, (TSettings)settings, seed)[self.Value];
        return image is null
            ? new Runner(protocol, config, protocol.Init(config), written: null, hasWritten: false)
            : new Runner(protocol, config, protocol.Recover(config, image), image.Hard, hasWritten: true);
    }

    public override RedirectHint? Redirect(object reply) => reply switch
    {
        TReply typed when redirect is not null => redirect(typed),
        IRedirect marked => new RedirectHint(marked.Leader),
        _ => null,
    };

    private sealed class Runner(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        NodeConfig<TSettings> config,
        TState state,
        object? written,
        bool hasWritten) : NodeRunner
    {
        private readonly StepContext<TSettings, TMessage, TReply> _context = new(config);
        private TState _state = state;
        private object? _written = written;
        private bool _hasWritten = hasWritten;
        // The state whose hard state is _written: while the state is this same instance, there is no need to ask.
        private TState? _writtenState = hasWritten ? state : null;

        public override object State => _state;

        public override string Describe() => protocol.Describe(_state);

        public override NodeView Inspect() => protocol.Inspect(_state);

        public override bool AcceptsMessage(object message) => message is TMessage;

        public override bool AcceptsCommand(object command) => command is TRequest;

        internal override bool Step(in NodeInput input)
        {
            Input<TMessage, TRequest> typed = input.Kind switch
            {
                NodeInputKind.Tick => Input<TMessage, TRequest>.Tick.Instance,
                NodeInputKind.Message => new Input<TMessage, TRequest>.Receive(input.From, (TMessage)input.Payload!),
                NodeInputKind.Request => new Input<TMessage, TRequest>.Request(input.Client, input.Sequence, (TRequest)input.Payload!),
                _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown input kind"),
            };
            var next = protocol.Step(_context, _state, typed);
            if (ReferenceEquals(next, _state)) return false;
            _state = next;
            return true;
        }

        internal override PendingFlush? TakeFlush()
        {
            var writes = _context.Durable.Drain();
            if (ReferenceEquals(_state, _writtenState) && writes.IsEmpty) return null;
            var hard = protocol.HardState(_state);
            var hardChanged = !_hasWritten || !Equals(hard, _written);
            if (!hardChanged) _writtenState = _state;
            return hardChanged || !writes.IsEmpty ? new PendingFlush(hardChanged, hard, writes, _state) : null;
        }

        internal override void Flushed(PendingFlush flush)
        {
            _writtenState = (TState)flush.State;
            if (!flush.HardChanged) return;
            _written = flush.Hard;
            _hasWritten = true;
        }

        internal override void CollectEffects(List<Envelope<object>> sends, List<ClientReply<object>> replies)
        {
            foreach (var send in _context.PendingSends) sends.Add(new Envelope<object>(send.From, send.To, send.Message));
            foreach (var reply in _context.PendingReplies) replies.Add(new ClientReply<object>(reply.Client, reply.Sequence, reply.Reply));
            _context.ClearOutbox();
        }

        internal override void DiscardEffects() => _context.Clear();
    }
}
