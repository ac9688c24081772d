import { expect } from 'chai';
import { allowedOrganisationKinds, checkDefinition } from '../../../server/instruments/definition-rules';

describe('meta.organisationKinds', () => {
  const definition = { locale: 'nl', pages: [{ name: 'p1', elements: [{ type: 'comment', name: 'q1', title: 'Vraag' }] }] };
  const meta = (extra: object) => ({ attribution: 'x', source: 'y', items: { q1: { ref: 'x', status: 'V' } }, ...extra });
  const rules = (extra: object) => checkDefinition(definition, meta(extra)).filter((v) => v.element === 'meta.organisationKinds').map((v) => v.rule);

  it('takes the known kinds of organisation and refuses others', () => {
    expect(rules({ organisationKinds: ['gemeente'] })).to.deep.equal([]);
    expect(rules({})).to.deep.equal([]);
    expect(rules({ organisationKinds: ['provincie'] })[0]).to.contain('"provincie"');
    expect(rules({ organisationKinds: [] })).to.have.length(1);
  });

  it('lets any kind run an instrument that names none', () => {
    expect(allowedOrganisationKinds({})).to.equal(null);
    expect(allowedOrganisationKinds({ organisationKinds: ['gemeente'] })).to.deep.equal(['gemeente']);
  });
});
