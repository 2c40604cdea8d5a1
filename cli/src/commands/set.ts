import { SETTING_NAMES } from '@tbe/shared/settings';
import { expectPositionals, integerArg, platformArg, settingArg } from '../args.ts';
import { record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';

export const setCommand = adminCommand({
  name: 'set',
  synopsis: '<platform> <setting> <value>',
  summary: `change a run-time setting: ${SETTING_NAMES.join(', ')}`,
  details: [
    'The value is an integer; the API answers the allowed range when it is outside it.',
    'A change reaches every replica within 2 s and survives restarts.',
  ],
  parse(args) {
    const [platform = '', setting = '', value = ''] = expectPositionals('set', args, [
      '<platform>',
      '<setting>',
      '<value>',
    ]);
    return {
      platform: platformArg('set', platform),
      setting: settingArg('set', setting),
      value: integerArg('set', '<value>', value),
    };
  },
  call: (api, { platform, setting, value }) =>
    api.request('PATCH', `/api/platforms/${segment(platform)}/settings`, { [setting]: value }),
  print(answer, { platform, setting }, io) {
    const current = record(record(answer)[setting]);
    io.out(`${platform} ${setting} = ${text(current.value)} (${text(current.source)})`);
  },
});
