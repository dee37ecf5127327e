namespace OrleansNodes.Simulation.Engine;

/// <summary>The engine's judge: properties after every step and fault, and the end-of-run verdict (liveness, workload).</summary>
internal sealed partial class Engine<TSettings, TState, TMessage, TRequest, TReply>
{
    /// <summary>Everything a run leaves to judge at its end: liveness after healing, and the workload's verdict.</summary>
    public void Finish(int livenessRounds)
    {
        if (Failed) return;
        if (_live && _round - _liveSince >= livenessRounds)
        {
            for (var i = 0; i < _properties.Length; i++)
            {
                if (_properties[i].Kind == PropertyKind.Eventually && !_reached[i])
                {
                    var why = ExplainSafely(i, Observe(-1, null));
                    Fail(_properties[i].Name, PropertyKind.Eventually,
                        $"did not hold within {livenessRounds} rounds after the network healed" + (why is null ? string.Empty : ": " + why));
                    return;
                }
            }

            if (_workload is { IsSettled: false })
            {
                Fail("workload settles", PropertyKind.Eventually, $"clients still waiting {livenessRounds} rounds after the network healed");
                return;
            }
        }

        if (_workload is not null)
        {
            UpdateWorkloadContext();
            WorkloadOutcome outcome;
            try
            {
                outcome = _workload.Complete(_workloadContext!);
            }
            catch (Exception e)
            {
                Fail("workload", PropertyKind.Always, $"Complete threw {e.GetType().Name}: {e.Message}", "Complete threw " + e.GetType().Name);
                return;
            }

            WorkloadResult = outcome.Result;
            if (outcome.Failure is { } failure) Fail("workload", PropertyKind.Always, failure, outcome.Signature ?? failure.Split(':', 2)[0]);
        }
    }

    /// <summary>
    /// True when every <c>Eventually</c> property has held since the liveness phase began, the
    /// workload is settled, and every invariant with a precondition has been evaluated (an
    /// accuracy property waits for the healed network to have been reliable long enough).
    /// </summary>
    public bool LivenessSatisfied()
    {
        for (var i = 0; i < _properties.Length; i++)
            if (_properties[i].Kind == PropertyKind.Eventually && !_reached[i] || !_checks[i].Evaluated) return false;
        return _workload is null || _workload.IsSettled;
    }

    /// <summary>The invariants this run never evaluated: their precondition never held.</summary>
    public List<string> Unevaluated()
    {
        var names = new List<string>();
        for (var i = 0; i < _checks.Length; i++)
            if (!_checks[i].Evaluated) names.Add(_properties[i].Name);
        return names;
    }

    public bool HasLivenessGoals()
    {
        foreach (var property in _properties)
            if (property.Kind == PropertyKind.Eventually) return true;
        return _workload is not null;
    }

    /// <summary>Evaluates every property on the cluster as it is now.</summary>
    private void Check(int stepped, TState? before)
    {
        if (_checks.Length == 0 || Failed) return;
        var observation = Observe(stepped, before);
        for (var i = 0; i < _checks.Length; i++)
        {
            // A goal once reached stays reached for the run; its check (and any ghost it folds)
            // is never consulted again, so skip it. Always properties never skip.
            if (_reached[i] && _properties[i].Kind != PropertyKind.Always) continue;
            bool holds;
            try
            {
                holds = _checks[i].Holds(observation);
            }
            catch (Exception e)
            {
                Fail(_properties[i].Name, _properties[i].Kind, $"the property threw {e.GetType().Name}: {e.Message}", "threw " + e.GetType().Name);
                return;
            }

            switch (_properties[i].Kind)
            {
                case PropertyKind.Always when !holds:
                    Fail(_properties[i].Name, PropertyKind.Always, ExplainSafely(i, observation) ?? "does not hold");
                    return;
                case PropertyKind.Sometimes when holds:
                    _reached[i] = true;
                    break;
                case PropertyKind.Eventually when holds && _live:
                    _reached[i] = true;
                    break;
            }
        }
    }

    private Observation<TState> Observe(int stepped, TState? before) =>
        new(_states, _up, stepped < 0 ? null : new NodeId(stepped), before, _steps, _round, HealthyForTime, ReliableForTime, _cut);

    private string? ExplainSafely(int property, Observation<TState> observation) => ExplainSafely(_checks[property], observation);

    /// <summary>
    /// The property's own account of what broke; a throwing explanation is reported, not fatal.
    /// The explorer words its violations with this too.
    /// </summary>
    internal static string? ExplainSafely(PropertyCheck<TState> check, Observation<TState> observation)
    {
        try
        {
            return check.Explain(observation);
        }
        catch (Exception e)
        {
            return $"(its explanation threw {e.GetType().Name}: {e.Message})";
        }
    }

    private void Fail(string property, PropertyKind kind, string message, string? detail = null)
    {
        if (Failed) return;
        var signature = $"{kind} '{property}'" + (detail is null ? "" : ": " + detail);
        // Work a round owed is not recorded: a violation in it belongs to the round that follows.
        Violation = new FoundViolation(property, kind, message, _steps, _decisions.Count - (_owing ? 0 : 1), signature);
        if (TraceLines is not null)
        {
            EndLine();
            TraceLines.Add($"      !! {kind} '{property}' violated at step {_steps} (round {_round}): {message}");
            TraceLines.Add("      cluster: " + DescribeCluster());
        }
    }
}
