using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;
using PaxosContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.Paxos.PaxosSettings, OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosReply>;

namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// Single-decree Paxos (Lamport, "Paxos Made Simple", 2001): a cluster chooses one value.
/// </summary>
/// <remarks>
/// <para>Every node plays all three roles of §2. As a <b>proposer</b> it picks a ballot higher
/// than any it has seen and sends <c>Prepare</c> to every acceptor (phase 1a). An <b>acceptor</b>
/// promises to ignore lower ballots and reports the highest-numbered proposal it has accepted
/// (1b). With promises from a majority the proposer sends <c>Accept</c> carrying the value of the
/// highest-numbered reported proposal, or its own value if none was reported (2a; this is what
/// makes P2c hold, §2.2). An acceptor accepts unless it has promised a higher ballot, and tells
/// every <b>learner</b> (2b, §2.3). A value is chosen once a majority accepted it in one ballot,
/// and a learner learns it when it has heard exactly that.</para>
/// <para>Progress needs a single proposer for long enough (§2.4). Instead of electing one, each
/// proposer retries after a randomized number of ticks; the spread lets one of them finish
/// both phases before the next out-numbers it. A node with nothing to propose stays quiet.</para>
/// <para>Durability (§2.2, last paragraph): the hard state (<see cref="PaxosHardState"/>) is
/// written before the batch's messages leave, so a promise or vote is never sent before it is
/// durable. <see cref="Recover"/> restores it and rebuilds only the volatile progress.</para>
/// </remarks>
public sealed class SingleDecreePaxos : Protocol<PaxosSettings, PaxosState, PaxosMessage, PaxosCommand, PaxosReply>
{
    /// <inheritdoc/>
    public override string Name => "paxos";

    /// <inheritdoc/>
    public override IReadOnlyList<Property<PaxosState>> Properties => PaxosProperties.All;

    /// <inheritdoc/>
    public override PaxosState Init(NodeConfig<PaxosSettings> config)
    {
        var settings = config.Settings;
        var (retry, random) = TickTimer.StartRandomized(SeededRandom.From(config.Seed), settings.RetryTicksMin, settings.RetryTicksMax);
        return new PaxosState(
            Promised: Ballot.Zero,
            Accepted: null,
            Heard: [.. new Vote?[config.Members.Length]],
            Learned: null,
            Proposal: settings.ProposeOnStart ? PaxosSettings.InitialValue(config.Self) : null,
            Ballot: Ballot.Zero,
            Phase: ProposerPhase.Idle,
            Promisers: [],
            HighestPromisedVote: null,
            HighestSeen: Ballot.Zero,
            Retry: retry,
            Random: random,
            Waiting: []);
    }

    /// <summary>The acceptor's promise and vote, the proposer's last ballot and value, and what the learner knows (<see cref="PaxosHardState"/>).</summary>
    public override object HardState(PaxosState state) => PaxosHardState.Of(state);

    /// <summary>
    /// Keeps everything an acceptor promised and the last ballot this proposer issued; the ballot
    /// in flight (its promises may be gone with the crash) and the waiting clients, whose
    /// connections died with the old activation, were volatile (they retry). The proposer resumes
    /// with a fresh, higher ballot when its new retry timer expires, drawn from a generator seeded
    /// by the node's seed and its last ballot, so restarts at different ballots do not replay the
    /// same timeouts.
    /// </summary>
    public override PaxosState Recover(NodeConfig<PaxosSettings> config, DurableImage image)
    {
        var fresh = Init(config);
        if (image.Hard is not PaxosHardState hard) return fresh;
        var seeded = SeededRandom.From(SeededRandom.Mix(config.Seed, (ulong)hard.Ballot.Round));
        var (retry, random) = TickTimer.StartRandomized(seeded, config.Settings.RetryTicksMin, config.Settings.RetryTicksMax);
        return fresh with
        {
            Promised = hard.Promised,
            Accepted = hard.Accepted,
            Heard = hard.Heard,
            Learned = hard.Learned,
            Proposal = hard.Proposal,
            Ballot = hard.Ballot,
            HighestSeen = hard.HighestSeen,
            Retry = retry,
            Random = random,
        };
    }

    /// <inheritdoc/>
    public override PaxosState Step(PaxosContext context, PaxosState state, PaxosInput input) => input switch
    {
        PaxosInput.Tick => OnTick(context, state),
        PaxosInput.Request { Command: PaxosCommand.Propose propose } request => OnPropose(context, state, new WaitingClient(request.Client, request.Sequence), propose.Value),
        PaxosInput.Receive { Message: PaxosMessage.Prepare prepare } receive => OnPrepare(context, state, receive.From, prepare),
        PaxosInput.Receive { Message: PaxosMessage.Promise promise } receive => OnPromise(context, state, receive.From, promise),
        PaxosInput.Receive { Message: PaxosMessage.Accept accept } receive => OnAccept(context, state, receive.From, accept),
        PaxosInput.Receive { Message: PaxosMessage.Accepted accepted } receive => OnAccepted(context, state, receive.From, accepted),
        PaxosInput.Receive { Message: PaxosMessage.Nack nack } => OnNack(state, nack),
        PaxosInput.Receive { Message: PaxosMessage.Decided decided } => OnDecided(context, state, decided),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "not a Paxos input"),
    };

    /// <inheritdoc/>
    public override string Describe(PaxosState state)
    {
        var proposer = state.IsProposing
            ? $"proposing {state.Proposal} {PhaseText(state)}"
            : state.Proposal is null ? "not proposing" : $"proposed {state.Proposal}";
        return $"{proposer} | promised {state.Promised} accepted {state.Accepted?.ToString() ?? "-"} | learned {state.Learned ?? "-"}";
    }

    /// <summary>
    /// A proposer while it has a value to get chosen, else an acceptor; the ballot promised. Single
    /// decree has no leader and no log: nothing leads, and nothing is committed or applied.
    /// </summary>
    public override NodeView Inspect(PaxosState state) =>
        new(state.IsProposing ? "proposer" : "acceptor", Ballot: state.Promised.ToString());

    private static string PhaseText(PaxosState state) => state.Phase switch
    {
        ProposerPhase.Preparing => $"preparing {state.Ballot} ({state.Promisers.Count} promises)",
        ProposerPhase.Accepting => $"accepting {state.Ballot}",
        _ => $"waiting {state.Retry} to retry after {state.Ballot}",
    };

    private static PaxosState OnTick(PaxosContext context, PaxosState state)
    {
        if (!state.IsProposing) return state;
        var retry = state.Retry.Advance();
        return retry.IsExpired ? StartBallot(context, state) : state with { Retry = retry };
    }

    private static PaxosState OnPropose(PaxosContext context, PaxosState state, WaitingClient client, string value)
    {
        if (state.Learned is { } chosen)
        {
            context.Reply(client.Client, client.Sequence, new PaxosReply.Chosen(chosen));
            return state;
        }
        if (state.Waiting.Contains(client)) return state;
        var waiting = state with { Waiting = state.Waiting.Add(client) };
        // One decision answers every client, so a node already proposing keeps its ballot going.
        return state.Proposal is null ? StartBallot(context, waiting with { Proposal = value }) : waiting;
    }

    /// <summary>Phase 1a with a ballot above every ballot this node has issued, promised or been refused with.</summary>
    private static PaxosState StartBallot(PaxosContext context, PaxosState state)
    {
        var round = Math.Max(state.Ballot.Round, Math.Max(state.Promised.Round, state.HighestSeen.Round)) + 1;
        var ballot = new Ballot(round, context.Self);
        var (retry, random) = TickTimer.StartRandomized(state.Random, context.Settings.RetryTicksMin, context.Settings.RetryTicksMax);
        context.SendToAll(new PaxosMessage.Prepare(ballot));
        return state with
        {
            Ballot = ballot,
            Phase = ProposerPhase.Preparing,
            Promisers = [],
            HighestPromisedVote = null,
            Retry = retry,
            Random = random,
        };
    }

    /// <summary>Phase 1b. Re-promising the ballot already promised is harmless and answers a lost promise.</summary>
    private static PaxosState OnPrepare(PaxosContext context, PaxosState state, NodeId from, PaxosMessage.Prepare prepare)
    {
        if (MaybeAnswerDecided(context, state, from)) return state;
        if (prepare.Ballot < state.Promised)
        {
            context.Send(from, new PaxosMessage.Nack(prepare.Ballot, state.Promised));
            return state;
        }
        context.Send(from, new PaxosMessage.Promise(prepare.Ballot, state.Accepted));
        return prepare.Ballot == state.Promised ? state : state with { Promised = prepare.Ballot };
    }

    private static PaxosState OnPromise(PaxosContext context, PaxosState state, NodeId from, PaxosMessage.Promise promise)
    {
        if (state.Phase != ProposerPhase.Preparing || promise.Ballot != state.Ballot || state.Promisers.Contains(from)) return state;
        var next = state with
        {
            Promisers = state.Promisers.Add(from),
            HighestPromisedVote = Vote.Highest(state.HighestPromisedVote, promise.LastVote),
        };
        return next.Promisers.Count >= context.Majority ? BecomeAccepting(context, next) : next;
    }

    /// <summary>
    /// Phase 2a. P2c (§2.2): if any acceptor of the majority accepted a proposal, the value must
    /// be that of the highest-numbered one, since it may already be chosen; only otherwise is the
    /// proposer free to propose its own value.
    /// </summary>
    private static PaxosState BecomeAccepting(PaxosContext context, PaxosState state)
    {
        var value = state.HighestPromisedVote?.Value ?? state.Proposal!;
        context.SendToAll(new PaxosMessage.Accept(state.Ballot, value));
        return state with { Phase = ProposerPhase.Accepting };
    }

    /// <summary>Phase 2b: accept unless a higher ballot was promised (P1a), and tell every learner.</summary>
    private static PaxosState OnAccept(PaxosContext context, PaxosState state, NodeId from, PaxosMessage.Accept accept)
    {
        if (MaybeAnswerDecided(context, state, from)) return state;
        if (accept.Ballot < state.Promised)
        {
            context.Send(from, new PaxosMessage.Nack(accept.Ballot, state.Promised));
            return state;
        }
        context.SendToAll(new PaxosMessage.Accepted(accept.Ballot, accept.Value));
        var vote = new Vote(accept.Ballot, accept.Value);
        return state.Promised == accept.Ballot && state.Accepted == vote ? state : state with { Promised = accept.Ballot, Accepted = vote };
    }

    /// <summary>
    /// Learning (§2.3). A learner keeps each acceptor's highest reported vote and learns when a
    /// majority reported the same ballot: that is the definition of chosen. Votes from different
    /// ballots never add up, even for equal values.
    /// </summary>
    private static PaxosState OnAccepted(PaxosContext context, PaxosState state, NodeId from, PaxosMessage.Accepted accepted)
    {
        if (state.Learned is not null) return state;
        if (state.Heard[from.Value] is { } known && known.Ballot >= accepted.Ballot) return state;
        var next = state with { Heard = state.Heard.SetItem(from.Value, new Vote(accepted.Ballot, accepted.Value)) };
        return MaybeLearn(context, next, accepted.Ballot);
    }

    private static PaxosState MaybeLearn(PaxosContext context, PaxosState state, Ballot ballot)
    {
        var votes = 0;
        string? value = null;
        foreach (var heard in state.Heard)
        {
            if (heard is not { } vote || vote.Ballot != ballot) continue;
            votes++;
            value = vote.Value;
        }
        return votes >= context.Majority ? Learn(context, state, value!) : state;
    }

    /// <summary>
    /// A refusal: some acceptor promised a higher ballot, so this one cannot gather a majority of
    /// fresh promises or votes. Stand back until the randomized retry timer fires, then out-number
    /// the refusal; retrying at once would make duelling proposers pre-empt each other forever.
    /// </summary>
    private static PaxosState OnNack(PaxosState state, PaxosMessage.Nack nack)
    {
        if (state.Phase == ProposerPhase.Idle || nack.Ballot != state.Ballot) return state;
        return state with
        {
            Phase = ProposerPhase.Idle,
            Promisers = [],
            HighestPromisedVote = null,
            HighestSeen = Ballot.Max(state.HighestSeen, nack.Promised),
        };
    }

    private static PaxosState OnDecided(PaxosContext context, PaxosState state, PaxosMessage.Decided decided) =>
        state.Learned is null ? Learn(context, state, decided.Value) : state;

    /// <summary>A node that knows the outcome answers requests with it: the sender's ballot cannot change it.</summary>
    private static bool MaybeAnswerDecided(PaxosContext context, PaxosState state, NodeId from)
    {
        if (state.Learned is not { } chosen) return false;
        context.Send(from, new PaxosMessage.Decided(chosen));
        return true;
    }

    private static PaxosState Learn(PaxosContext context, PaxosState state, string value)
    {
        foreach (var client in state.Waiting)
            context.Reply(client.Client, client.Sequence, new PaxosReply.Chosen(value));
        return state with
        {
            Learned = value,
            Phase = ProposerPhase.Idle,
            Promisers = [],
            HighestPromisedVote = null,
            Waiting = [],
        };
    }
}
