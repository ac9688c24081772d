// An instrument with every answer type beyond the quickscan's: rating, boolean, tagbox, a
// typed number, a ranking, a matrix dropdown (radio, dropdown and checkbox cells), a dynamic
// matrix and a dynamic panel with routing inside; a multiple text with number items (one by
// inputType, one by a numeric validator, as SurveyJS's own examples write it), a date, date
// cells and computed (expression) cells, which are not stored. Published as `alle-typen`.
export const INSTRUMENT = {
  key: 'alle-typen',
  title: 'Alle typen',
  meta: { missingValues: ['refused', 'dontknow'] },
  definition: {
    locale: 'nl',
    pages: [{
      name: 'p1',
      elements: [
        { type: 'rating', name: 'tevreden', title: 'Hoe tevreden ben je?', rateMin: 1, rateMax: 5 },
        { type: 'boolean', name: 'alleen', title: 'Woon je alleen?' },
        { type: 'tagbox', name: 'hulp', title: 'Welke hulp?', choices: [{ value: 'geld', text: 'Geld' }, { value: 'huis', text: 'Huis' }, { value: 'werk', text: 'Werk' }] },
        { type: 'text', inputType: 'number', name: 'jaren', title: 'Hoeveel jaar?' },
        {
          type: 'multipletext', name: 'maten', title: 'Maten',
          items: [
            { name: 'lengte', title: 'Lengte (cm)', inputType: 'number' },
            { name: 'gewicht', title: 'Gewicht (kg)', validators: [{ type: 'numeric', minValue: 0, maxValue: 500 }] },
            { name: 'merk', title: 'Merk' },
          ],
        },
        { type: 'text', inputType: 'date', name: 'sinds', title: 'Sinds wanneer?' },
        { type: 'expression', name: 'jarenplus', title: 'Jaren plus een', expression: '{jaren} + 1' },
        { type: 'ranking', name: 'prioriteit', title: 'Wat is het belangrijkst?', choices: [{ value: 'veilig', text: 'Veiligheid' }, { value: 'wonen', text: 'Wonen' }, { value: 'werk', text: 'Werk' }] },
        {
          type: 'matrixdropdown', name: 'diensten', title: 'Diensten',
          rows: [{ value: 'opvang', text: 'Opvang' }, { value: 'ambulant', text: 'Ambulant' }],
          columns: [
            { name: 'gebruik', title: 'Gebruikt', cellType: 'radiogroup', choices: [{ value: 1, text: 'ja' }, { value: 0, text: 'nee' }] },
            { name: 'cijfer', title: 'Cijfer', cellType: 'dropdown', choices: [1, 2, 3, 4, 5] },
            { name: 'soort', title: 'Soort', cellType: 'checkbox', choices: [{ value: 'x', text: 'Individueel' }, { value: 'y', text: 'Groep' }] },
          ],
        },
        {
          type: 'matrixdynamic', name: 'kinderen', title: 'Kinderen', maxRowCount: 3, rowCount: 0,
          columns: [
            { name: 'leeftijd', title: 'Leeftijd', cellType: 'text', inputType: 'number' },
            { name: 'school', title: 'Naar school', cellType: 'dropdown', choices: [{ value: 'ja', text: 'Ja' }, { value: 'nee', text: 'Nee' }] },
            { name: 'opmerking', title: 'Opmerking', cellType: 'text' },
            { name: 'geboren', title: 'Geboren', cellType: 'text', inputType: 'date' },
            { name: 'dubbel', title: 'Dubbele leeftijd', cellType: 'expression', expression: '{row.leeftijd} * 2' },
          ],
        },
        {
          type: 'paneldynamic', name: 'contacten', title: 'Contacten', maxPanelCount: 2, panelCount: 0, visibleIf: '{jaren} >= 0',
          templateElements: [
            { type: 'radiogroup', name: 'wie', title: 'Met wie?', choices: [{ value: 'politie', text: 'Politie' }, { value: 'arts', text: 'Huisarts' }], showRefuseItem: true },
            { type: 'rating', name: 'vaak', title: 'Hoe vaak?', rateMin: 1, rateMax: 3, visibleIf: '{panel.wie} notempty' },
          ],
        },
      ],
    }],
  },
};
