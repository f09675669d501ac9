// What a case's observations make of its rules: the verdicts, the input sent around each
// failure, what the adapter rather than the twin is to blame for, and what a case error makes
// of them. Private to harness (case_verdict, in case_runner.hpp, is defined beside them). Pure
// functions of their arguments: thread-safe.
#pragma once

#include <vector>

#include "twincert/harness/adapter.hpp"
#include "twincert/harness/case_runner.hpp"
#include "twincert/harness/observer.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/rules/model.hpp"

namespace twincert::harness {

// The rules' verdicts over `observations` against `truth`, with the input of `frames` sent
// around each failure; a verdict resting on a mapping that found nothing (a problem naming an
// adapter key) becomes an error of the adapter, and what the adapter's maps passed over and the
// units values were read in are said in the verdicts they concern.
std::vector<rules::RuleResult> judge(const std::vector<rules::Rule>& rules, const Observe& observe,
                                     const rules::Truth& truth,
                                     const rules::Observations& observations,
                                     const std::vector<Frame>& frames,
                                     const std::vector<ObserverProblem>& problems);

// What a case error makes of the verdicts: a failure found stays a failure; a pass or an
// inconclusive verdict on a broken run is no evidence, so it becomes an error with the reason.
void mark_errors(CaseResult& result);

}  // namespace twincert::harness
