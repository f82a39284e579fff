// Command table. A name Splunk does not know is "Unknown search command"; a real Splunk command the
// lab does not run is an "unsupported" RuleError (check-rules reports the two differently).
import type { CommandText } from '../pipeline.ts';
import { SPL_ERRORS } from '../source.ts';
import { evalCommand } from './eval.ts';
import { binCommand, makeresultsCommand, rexCommand } from './extract.ts';
import { regexCommand, searchCommand, whereCommand } from './filter.ts';
import { dedupCommand, headCommand, sortCommand, tailCommand } from './order.ts';
import { fieldsCommand, fillnullCommand, mvexpandCommand, renameCommand, tableCommand } from './shape.ts';
import { eventstatsCommand, statsCommand } from './stats.ts';
import type { CommandCompiler, CommandContext, CompiledCommand } from './types.ts';

export const COMMANDS: ReadonlyMap<string, CommandCompiler> = new Map(Object.entries({
  search: searchCommand,
  where: whereCommand,
  regex: regexCommand,
  eval: evalCommand,
  table: tableCommand,
  fields: fieldsCommand,
  rename: renameCommand,
  sort: sortCommand,
  head: headCommand,
  tail: tailCommand,
  dedup: dedupCommand,
  stats: statsCommand,
  eventstats: eventstatsCommand,
  bin: binCommand,
  bucket: binCommand,
  discretize: binCommand,
  rex: rexCommand,
  fillnull: fillnullCommand,
  mvexpand: mvexpandCommand,
  makeresults: makeresultsCommand,
}));

/** Other commands of the Splunk search reference ([CMDS]) that the lab does not run. */
const SPLUNK_COMMANDS = new Set(`abstract accum addcoltotals addinfo addtotals analyzefields anomalies anomalousvalue
anomalydetection append appendcols appendpipe arules associate audit autoregress bucketdir chart cluster cofilter
collect concurrency contingency convert correlate datamodel dbinspect dbxquery delete delta diff entitymerge erex eval
eventcount eventstats extract kv fieldformat fieldsummary filldown findtypes folderize foreach format from gauge
gentimes geom geomfilter geostats highlight history iconify inputcsv inputintelligence inputlookup iplocation join
kmeans kvform loadjob localize localop lookup makecontinuous makemv map mcollect metadata metasearch meventcollect
mpreview msearch mstats multikv multisearch mvcombine nomv outlier outputcsv outputlookup outputtext overlap pivot
predict rangemap rare redistribute regex reltime replace require rest return reverse rtorder run savedsearch script
scrub search searchtxn selfjoin sendalert sendemail set setfields sichart sirare sistats sitimechart sitop spath
stats strcat streamstats table tags tail timechart timewrap tojson top transaction transpose trendline tscollect
tstats typeahead typelearner typer union uniq untable walklex x11 xmlkv xmlunescape xpath xyseries`.split(/\s+/));

export function compileCommand(cmd: CommandText, ctx: CommandContext): CompiledCommand {
  const compiler = COMMANDS.get(cmd.name);
  if (compiler) return compiler(cmd, ctx);
  if (SPLUNK_COMMANDS.has(cmd.name)) {
    throw ctx.src.error(SPL_ERRORS.unsupported, `The '${cmd.name}' command is not supported by the lab engine.`, cmd.offset);
  }
  throw ctx.src.error(SPL_ERRORS.unknownCommand, `Unknown search command '${cmd.name}'.`, cmd.offset);
}
