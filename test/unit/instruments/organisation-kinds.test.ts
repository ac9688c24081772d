import { expect } from 'chai';
import { allowedOrganisationKinds, checkDefinition, organisationKindsOf } from '../../../server/instruments/definition-rules';

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

  it('reads the declared kinds, null when none are declared', () => {
    expect(allowedOrganisationKinds({})).to.equal(null);
    expect(allowedOrganisationKinds({ organisationKinds: ['gemeente'] })).to.deep.equal(['gemeente']);
  });

  it('takes a shared instrument that declares none for an opvang, and a manager\'s own upload for any kind', () => {
    expect(organisationKindsOf({ meta: {} })).to.deep.equal(['opvang']);
    expect(organisationKindsOf({ meta: {}, organisationId: null })).to.deep.equal(['opvang']);
    expect(organisationKindsOf({ meta: {}, organisationId: 'org-1' })).to.equal(null);
    expect(organisationKindsOf({ meta: { organisationKinds: ['gemeente'] }, organisationId: 'org-1' })).to.deep.equal(['gemeente']);
    expect(organisationKindsOf({ meta: { organisationKinds: ['opvang', 'gemeente'] } })).to.deep.equal(['opvang', 'gemeente']);
  });
});
